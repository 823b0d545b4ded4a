// Preloaded with `node --import ./test/support/trace-imports.mjs`: records every module URL the
// process resolves into the file named by TRACE_IMPORTS_FILE (one per line).
import { register } from 'node:module';

const file = process.env.TRACE_IMPORTS_FILE;
if (file) {
  const hooks = `
    import { appendFileSync } from 'node:fs';
    export async function resolve(specifier, context, next) {
      const result = await next(specifier, context);
      appendFileSync(${JSON.stringify(file)}, result.url + '\\n');
      return result;
    }`;
  register(`data:text/javascript,${encodeURIComponent(hooks)}`);
}
