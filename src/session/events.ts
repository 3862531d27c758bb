/** Session lifecycle events. `refreshed` follows an automatic re-login. */
export type AuthEvent = 'signedIn' | 'signedOut' | 'expired' | 'refreshed';

export type Listener<T> = (payload: T) => void;

/** A tiny synchronous emitter: a throwing listener is reported and never breaks the SDK. */
export function createEmitter<T>(report: (error: unknown) => void) {
  const listeners = new Set<[AuthEvent, Listener<T>]>();
  return {
    on(event: AuthEvent, listener: Listener<T>): () => void {
      const entry: [AuthEvent, Listener<T>] = [event, listener];
      listeners.add(entry);
      return () => void listeners.delete(entry);
    },
    emit(event: AuthEvent, payload: T) {
      for (const [name, listener] of [...listeners])
        if (name === event)
          try {
            listener(payload);
          } catch (error) {
            report(error);
          }
    },
  };
}
