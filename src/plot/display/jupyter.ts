/**
 * Sending rich output to Jupyter through the running tslab kernel. tslab's public `display` API sends
 * one MIME type per message; a MIME *bundle* (Vega-Lite + SVG + PNG + text, the front end picks the
 * richest it can render) needs its internal writer, found here among the loaded modules.
 */

/** A Jupyter MIME bundle: MIME type → data (strings; base64 for binary; JSON objects for +json types). */
export type MimeBundle = Record<string, unknown>;

/** Where bundles go: (bundle, display id, update an earlier display?) → void. */
export type DisplaySender = (bundle: MimeBundle, displayId: string | undefined, update: boolean) => void;

type Writer = (content: { data: MimeBundle; metadata: Record<string, unknown>; transient: Record<string, unknown> }, update: boolean) => void;

let override: DisplaySender | null | undefined;

/** The tslab kernel's current display writer, or undefined when not running inside tslab. */
function tslabWriter(): Writer | undefined {
  for (const [path, mod] of Object.entries(require.cache)) {
    if (!/tslab[\\/]dist[\\/]jupyter\.js$/.test(path)) continue;
    const w = (mod?.exports as { lastWriteDisplayData?: Writer | null } | undefined)?.lastWriteDisplayData;
    if (typeof w === 'function') return w;
  }
  return undefined;
}

/**
 * Replaces the display target (tests, other front ends); `null` forces "no notebook", `undefined`
 * restores auto-detection of tslab.
 */
export function setDisplaySender(sender: DisplaySender | null | undefined): void {
  override = sender;
}

/** The active display target, or undefined outside a notebook. */
export function displaySender(): DisplaySender | undefined {
  if (override !== undefined) return override ?? undefined;
  const w = tslabWriter();
  if (!w) return undefined;
  return (bundle, displayId, update) =>
    w({ data: bundle, metadata: {}, transient: displayId ? { display_id: displayId } : {} }, update);
}

/** True when running in a tslab notebook kernel (or a sender was installed). */
export function inNotebook(): boolean {
  return displaySender() !== undefined;
}

let counter = 0;

/** A fresh display id (unique within the process). */
export function newDisplayId(): string {
  counter += 1;
  return `ufnmr-${process.pid}-${Date.now().toString(36)}-${counter}`;
}

/**
 * Displays a bundle in the notebook (with `displayId`, later calls with `update: true` replace it in
 * place); outside a notebook prints its text/plain part to stdout. Returns nothing, so that a
 * `show…()` call ending a cell does not make tslab echo the bundle.
 */
export function publish(bundle: MimeBundle, opts: { displayId?: string; update?: boolean } = {}): void {
  const send = displaySender();
  if (send) send(bundle, opts.displayId, opts.update ?? false);
  else if (typeof bundle['text/plain'] === 'string') process.stdout.write(`${bundle['text/plain']}\n`);
}
