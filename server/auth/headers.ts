/**
 * Response headers that keep stored documents and API answers from running in a browser on the
 * product's origin, and the Content-Security-Policy of the web app.
 *
 * - Web app (everything helmet covers): scripts only from the origin; inline styles are allowed
 *   because bpmn-js and form-js position and colour diagram elements with style attributes.
 * - API answers (/v2/*, /api/* except the docs page): `default-src 'none'; sandbox`, so an uploaded
 *   diagram, a form or any stored text opened directly in the browser is an inert document without
 *   scripts, forms or plugins, and without the origin's cookies. `nosniff` comes from helmet.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';

export const WEB_APP_CSP: Record<string, string[]> = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'worker-src': ["'self'", 'blob:'],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

/** The policy of every API answer: nothing loads, nothing runs. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox";

function isApi(req: FastifyRequest): boolean {
  const url = req.url;
  if (url === '/api/docs' || url.startsWith('/api/docs/') || url.startsWith('/api/docs?')) return false;
  return url.startsWith('/v2/') || url.startsWith('/api/');
}

export function installSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (req, reply, payload) => {
    if (isApi(req)) {
      reply.header('content-security-policy', API_CSP);
      reply.header('x-content-type-options', 'nosniff');
    }
    return payload;
  });
}

/** Headers for a stored document served as a file: a download, never a page. */
export function attachmentHeaders(fileName: string): Record<string, string> {
  const ascii = fileName.replace(/[^A-Za-z0-9._-]/g, '_') || 'download';
  return {
    'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
    'content-security-policy': API_CSP,
    'x-content-type-options': 'nosniff',
  };
}
