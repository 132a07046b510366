import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * Security headers (helmet): a content security policy that loads nothing from outside the
 * application (PIPL art. 36: no external CDN, font or analytics), no framing, no MIME sniffing,
 * HSTS for when TLS sits in front. CORS stays closed: Nest sends no Access-Control-* header unless
 * enableCors is called, so browsers refuse cross-origin calls.
 */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
      },
    },
    crossOriginEmbedderPolicy: false,
  });
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * JSON only where JSON is expected: a request body must be application/json (or +json), or
 * multipart/form-data for file uploads; anything else (a form post, plain text, XML) is a 415
 * UNSUPPORTED_MEDIA_TYPE before any parser or handler sees it.
 */
export function jsonOnly(): RequestHandler {
  return (req, _res, next) => {
    if (!BODY_METHODS.has(req.method)) return next();
    const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
    if (!hasBody) return next();
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (type === 'application/json' || type.endsWith('+json') || type === 'multipart/form-data') return next();
    next(Object.assign(new Error(`Request bodies must be application/json (or multipart/form-data for files), not ${type || 'untyped'}`), { status: 415 }));
  };
}
