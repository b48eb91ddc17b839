/**
 * Which files the user changed in the last `quietMs`. The engine must not rewrite such a file
 * (the user may be typing in it): remote changes for it wait until it has been quiet that long.
 * Only user edits are recorded here — the daemon's own writes are recognised as echoes first.
 */
export class EditActivity {
  private readonly lastEdit = new Map<string, number>();

  constructor(private readonly quietMs: number) {}

  /** Records an edit, and forgets the files that have been quiet since (they need no entry). */
  noteEdit(path: string, at: number): void {
    this.prune(at);
    this.lastEdit.set(path, at);
  }

  /** Files within (or just past) their quiet period. */
  get size(): number {
    return this.lastEdit.size;
  }

  /** True while the file is within its quiet period. */
  isBusy(path: string, now: number): boolean {
    const at = this.lastEdit.get(path);
    return at !== undefined && now - at < this.quietMs;
  }

  /** When the file becomes quiet (epoch ms), or null when it is not being edited. */
  quietAt(path: string): number | null {
    const at = this.lastEdit.get(path);
    return at === undefined ? null : at + this.quietMs;
  }

  /** Forget files whose quiet period is over, so the map does not grow for the daemon's life. */
  prune(now: number): void {
    for (const [path, at] of this.lastEdit) if (now - at >= this.quietMs) this.lastEdit.delete(path);
  }

  rename(from: string, to: string): void {
    const at = this.lastEdit.get(from);
    if (at === undefined) return;
    this.lastEdit.delete(from);
    this.lastEdit.set(to, at);
  }
}
