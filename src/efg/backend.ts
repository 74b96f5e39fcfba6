/**
 * TensorFlow.js backend selection for EFG training: native TensorFlow (tfjs-node) when it is installed and
 * registers the 'tensorflow' backend, else WebAssembly (@tensorflow/tfjs-backend-wasm), else plain JS 'cpu'.
 * tfjs loads lazily, so commands that only predict (pure-JS inference) never pay for it.
 */
type Tf = typeof import('@tensorflow/tfjs');

let cached: { tf: Tf; backend: string } | undefined;

/** Loads tfjs, picks the fastest available backend and returns it with the backend's name. */
export async function loadTf(prefer?: 'tensorflow' | 'wasm' | 'cpu'): Promise<{ tf: Tf; backend: string }> {
  if (cached && (!prefer || cached.backend === prefer)) return cached;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const tf = require('@tensorflow/tfjs') as Tf;
  const order = prefer ? [prefer] : ['tensorflow', 'wasm', 'cpu'];
  if (order.includes('tensorflow')) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require('@tensorflow/tfjs-node'); // registers 'tensorflow' when the real native package is installed
    } catch { /* not installed */ }
  }
  if (order.includes('wasm')) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require('@tensorflow/tfjs-backend-wasm');
    } catch { /* not installed */ }
  }
  for (const name of order) {
    if (!tf.findBackendFactory(name)) continue;
    try {
      if (await tf.setBackend(name)) {
        await tf.ready();
        cached = { tf, backend: name };
        return cached;
      }
    } catch { /* try the next one */ }
  }
  throw new Error(`no TensorFlow.js backend could be started (tried ${order.join(', ')})`);
}
