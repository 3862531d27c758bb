/** A failure the mock produces instead of (or around) its normal answer. */
export interface Fault {
  /** Only requests with this method (default: any). */
  method?: string;
  /** Only paths (below the base path) equal to, or matching, this (default: any). */
  path?: string | RegExp;
  /** How many requests it hits; default 1. `Infinity` until cleared. */
  times?: number;
  /** Wait this many milliseconds first (real time). */
  latency?: number;
  /** Answer with this status and a generic body instead of routing. */
  status?: number;
  /** Fail at the network level: the connection drops without an answer. */
  networkError?: boolean;
  /** Replace the body: `malformed` JSON, `empty`, an `html` error page, `truncated` (the connection drops mid-body), or literal text. */
  body?: 'malformed' | 'empty' | 'html' | 'truncated' | { text: string; contentType?: string };
}

interface Armed extends Fault {
  left: number;
}

/** Fault injection shared by the three mocks. */
export function createFaults() {
  let armed: Armed[] = [];
  return {
    /** Arms a fault; the next matching requests hit it. */
    inject(fault: Fault) {
      armed.push({ ...fault, left: fault.times ?? 1 });
    },
    clear() {
      armed = [];
    },
    /** The fault for this request, consuming one of its hits. */
    take(method: string, path: string): Fault | undefined {
      const fault = armed.find(
        (f) =>
          (!f.method || f.method === method) &&
          (f.path === undefined || (typeof f.path === 'string' ? f.path === path : f.path.test(path))),
      );
      if (fault && --fault.left <= 0) armed = armed.filter((f) => f !== fault);
      return fault;
    },
  };
}

export type Faults = ReturnType<typeof createFaults>;

const HTML = '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>';

/** Applies a fault to the request; `next` produces the normal answer. */
export async function withFault(fault: Fault | undefined, next: () => Promise<Response>): Promise<Response> {
  if (!fault) return next();
  if (fault.latency) await new Promise((resolve) => setTimeout(resolve, fault.latency));
  if (fault.networkError) return Response.error();
  const answer =
    fault.status !== undefined
      ? new Response(JSON.stringify({ error: 'injected fault' }), { status: fault.status, headers: { 'content-type': 'application/json' } })
      : await next();
  if (!fault.body) return answer;
  const headers = new Headers(answer.headers);
  const init = { status: answer.status, headers };
  headers.delete('content-length');
  if (fault.body === 'empty') {
    headers.delete('content-type');
    return new Response(null, init);
  }
  if (fault.body === 'malformed') return new Response('{"code":1,"data":', init);
  if (fault.body === 'html') {
    headers.set('content-type', 'text/html; charset=utf-8');
    return new Response(HTML, init);
  }
  if (fault.body === 'truncated') {
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"code":1,"message":"","da'));
        controller.error(new Error('connection reset'));
      },
    });
    return new Response(stream, init);
  }
  if (fault.body.contentType) headers.set('content-type', fault.body.contentType);
  return new Response(fault.body.text, init);
}
