import { describe, expect, it } from 'vitest';
import { escapeHtml, renderOutlinePage } from '../../src/simulator/page.js';
import { Store } from '../../src/simulator/store.js';
import { useCheckedSimulator } from '../support/simulator.js';
import { api } from './api.js';

/** How many `<ul>` are open at the first occurrence of `needle` in `html` (its nesting depth). */
function depthAt(html: string, needle: string): number {
  const at = html.indexOf(needle);
  if (at < 0) throw new Error(`${needle} is not in the page`);
  const before = html.slice(0, at);
  return (before.match(/<ul>/g) ?? []).length - (before.match(/<\/ul>/g) ?? []).length;
}

function worldWithOneProject(): { store: Store; projectId: string } {
  const store = new Store();
  const ws = store.addWorkspace({ name: 'Home & <Work>' });
  const { project } = store.createProject({
    folderId: ws.homeFolderId,
    name: 'Plan "Q3"',
    tasks: [
      {
        text: 'Parent <b>bold</b>',
        children: [
          {
            text: 'Child & co',
            completed: true,
            children: [{ text: "Grandchild 'quoted'", note: 'line one\n<script>alert(1)</script>' }],
          },
        ],
      },
      { text: 'Sibling', date: { date: '2026-03-01', time: '09:30' }, assignees: ['alice', 'bob'] },
    ],
  });
  return { store, projectId: project.id };
}

describe('the simulator page at /', () => {
  it('escapes every text the outline holds (names, task text, notes)', () => {
    const { store } = worldWithOneProject();
    const html = renderOutlinePage(store, { now: new Date(0) });
    expect(html).toContain('Parent &lt;b&gt;bold&lt;/b&gt;');
    expect(html).toContain('Child &amp; co');
    expect(html).toContain('Grandchild &#39;quoted&#39;');
    expect(html).toContain('line one<br>&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('Plan &quot;Q3&quot;');
    expect(html).toContain('Home &amp; &lt;Work&gt;');
    expect(html).not.toMatch(/<script|<b>/);
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('nests tasks as the outline does and shows completion, date and assignees', () => {
    const { store, projectId } = worldWithOneProject();
    const html = renderOutlinePage(store, { now: new Date(0), refreshSeconds: 3 });
    expect(depthAt(html, 'Parent &lt;b&gt;')).toBe(1);
    expect(depthAt(html, 'Child &amp; co')).toBe(2);
    expect(depthAt(html, 'Grandchild')).toBe(3);
    expect(depthAt(html, '>Sibling<')).toBe(1);
    expect(depthAt(html, '</body>')).toBe(0); // every list closed
    expect(html).toMatch(
      /<li class="done" data-id="[^"]+"><span class="box">☑<\/span> <span class="text">Child &amp; co/,
    );
    expect(html).toMatch(
      /<span class="box">☐<\/span> <span class="text">Sibling<\/span> <span class="date">due 2026-03-01 09:30<\/span> <span class="who">@alice @bob<\/span>/,
    );
    expect(html).toContain(`${projectId} · 4 tasks, 1 done`);
    expect(html).toContain('<meta http-equiv="refresh" content="3">');
    expect(html).toContain('1970-01-01T00:00:00Z');
  });

  describe('over HTTP', () => {
    const sim = useCheckedSimulator();

    it('serves the page without a token, counts no v1 request, and shows API changes on the next load', async () => {
      const s = sim();
      const { projectId, taskIds } = s.seedProject({ name: 'Watched', tasks: [{ text: 'First' }] });
      const first = await fetch(s.origin + '/');
      expect(first.status).toBe(200);
      expect(first.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const page = await first.text();
      expect(page).toContain('<h3>Watched</h3>');
      expect(page).toContain('<span class="box">☐</span> <span class="text">First</span>');
      expect(s.stats().total).toBe(0);

      expect((await api(s, 'POST', `/projects/${projectId}/tasks/${taskIds[0]}/complete`, {})).status).toBe(200);
      const again = await (await fetch(s.origin + '/')).text();
      expect(again).toContain('<li class="done"');
      expect(again).toContain('1 API request so far');
      expect(s.stats().total).toBe(1);

      const head = await fetch(s.origin + '/', { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(await head.text()).toBe('');
      expect((await fetch(s.origin + '/', { method: 'POST' })).status).toBe(404); // read-only
      expect((await fetch(s.origin + '/index.html')).status).toBe(404);
    });
  });
});
