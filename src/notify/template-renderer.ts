import Handlebars from 'handlebars';
import { DomainError } from '../common';
import { NotifyErrorCode, localeUnknown, templateUnknown, variableInvalid, variablesMissing } from './notify.errors';
import { DEFAULT_LOCALE, LOCALES, Locale, TEMPLATES, TemplateDefinition } from './templates';

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

type Compiled = { subject: HandlebarsTemplateDelegate; text: HandlebarsTemplateDelegate; html: HandlebarsTemplateDelegate };

const TIME_ZONE = 'Asia/Shanghai';
const PLAIN_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Thrown by a helper for a value it cannot format; turned into a 422 naming the template. */
class HelperError extends Error {}

function instantOf(value: unknown): Date {
  const d = value instanceof Date ? value : typeof value === 'string' || typeof value === 'number' ? new Date(value) : new Date(NaN);
  if (Number.isNaN(d.getTime())) throw new HelperError(`${JSON.stringify(value)} is not a date`);
  return d;
}

function formatDate(locale: Locale, value: unknown): string {
  const plain = typeof value === 'string' ? PLAIN_DATE.exec(value) : null;
  // a calendar day (2026-10-12) is that day wherever the server runs; an instant is read in China time
  const d = plain ? new Date(Date.UTC(+plain[1], +plain[2] - 1, +plain[3], 4)) : instantOf(value);
  return new Intl.DateTimeFormat(locale === 'zh-CN' ? 'zh-CN' : 'en-GB', { timeZone: TIME_ZONE, year: 'numeric', month: locale === 'zh-CN' ? 'long' : 'short', day: 'numeric' }).format(d);
}

function formatDateTime(locale: Locale, value: unknown): string {
  if (typeof value === 'string' && PLAIN_DATE.test(value)) return formatDate(locale, value);
  const d = instantOf(value);
  const time = new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(d);
  return locale === 'zh-CN' ? `${formatDate(locale, d)} ${time}` : `${formatDate(locale, d)}, ${time} (China time)`;
}

/** Plain text to HTML: paragraphs at blank lines, line breaks within them (the text is already escaped). */
function paragraphs(escaped: string, locale: Locale): string {
  const body = escaped
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => `<p>${p.replace(/\n/g, '<br>\n')}</p>`)
    .join('\n');
  return `<!DOCTYPE html>\n<html lang="${locale}"><head><meta charset="utf-8"></head>\n<body style="font-family: sans-serif; line-height: 1.6">\n${body}\n</body></html>\n`;
}

/**
 * Renders the templates of templates.ts. Each locale has its own Handlebars environment (its date
 * helpers speak that language); templates are compiled once, strictly: a variable the template
 * uses that the caller did not give is an error. Every problem is a 422 naming the template.
 */
export class TemplateRenderer {
  private readonly envs = new Map<Locale, typeof Handlebars>();
  private readonly compiled = new Map<string, Compiled>();

  constructor(private readonly templates: Record<string, TemplateDefinition> = TEMPLATES) {
    for (const locale of LOCALES) {
      const env = Handlebars.create();
      env.registerHelper('date', (v: unknown) => formatDate(locale, v));
      env.registerHelper('datetime', (v: unknown) => formatDateTime(locale, v));
      env.registerHelper('n', (i: unknown) => (typeof i === 'number' ? i + 1 : i));
      this.envs.set(locale, env);
    }
  }

  names(): string[] {
    return Object.keys(this.templates).sort();
  }

  describe(): { name: string; description: string; required: readonly string[]; optional: readonly string[] }[] {
    return this.names().map((name) => {
      const t = this.templates[name];
      return { name, description: t.description, required: t.required, optional: t.optional ?? [] };
    });
  }

  definition(name: string): TemplateDefinition {
    const t = Object.prototype.hasOwnProperty.call(this.templates, name) ? this.templates[name] : undefined;
    if (!t) throw templateUnknown(name, this.names());
    return t;
  }

  locale(value: unknown): Locale {
    if (value === undefined || value === null || value === '') return DEFAULT_LOCALE;
    if (typeof value !== 'string' || !(LOCALES as readonly string[]).includes(value)) throw localeUnknown(String(value));
    return value as Locale;
  }

  /** Checks the variables against the template's declaration; returns them with optional ones filled in. */
  check(name: string, vars: Record<string, unknown>): Record<string, unknown> {
    const t = this.definition(name);
    const given = (k: string) => Object.prototype.hasOwnProperty.call(vars, k) && vars[k] !== undefined && vars[k] !== null && vars[k] !== '';
    const missing = t.required.filter((k) => !given(k));
    if (missing.length) throw variablesMissing(name, missing);
    for (const k of t.lists ?? []) {
      if (!Array.isArray(vars[k])) throw variableInvalid(name, k, 'must be a list');
      if (!(vars[k] as unknown[]).length) throw variableInvalid(name, k, 'must not be empty');
    }
    const filled: Record<string, unknown> = { ...vars };
    for (const k of t.optional ?? []) if (!given(k)) filled[k] = null;
    return filled;
  }

  render(name: string, locale: Locale, vars: Record<string, unknown>): RenderedMail {
    const data = this.check(name, vars);
    const c = this.compile(name, locale);
    try {
      return {
        subject: c.subject(data).replace(/\s*[\r\n]+\s*/g, ' ').trim(),
        text: c.text(data).replace(/\n{3,}/g, '\n\n').trim() + '\n',
        html: paragraphs(c.html(data).replace(/\n{3,}/g, '\n\n'), locale),
      };
    } catch (e) {
      if (e instanceof DomainError) throw e;
      const undefinedVar = /^"([^"]+)" not defined/.exec((e as Error).message)?.[1];
      if (undefinedVar) throw variablesMissing(name, [undefinedVar]);
      if (e instanceof HelperError) throw variableInvalid(name, 'value', e.message);
      throw new DomainError('UNPROCESSABLE', NotifyErrorCode.VariableInvalid, `Mail template "${name}" could not be rendered: ${(e as Error).message}`, { template: name });
    }
  }

  private compile(name: string, locale: Locale): Compiled {
    const key = `${locale}\u0000${name}`;
    let c = this.compiled.get(key);
    if (!c) {
      const t = this.definition(name);
      const env = this.envs.get(locale)!;
      c = {
        subject: env.compile(t.subject[locale], { strict: true, noEscape: true }),
        text: env.compile(t.body[locale], { strict: true, noEscape: true }),
        html: env.compile(t.body[locale], { strict: true }),
      };
      this.compiled.set(key, c);
    }
    return c;
  }
}
