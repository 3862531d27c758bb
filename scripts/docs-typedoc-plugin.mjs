// TypeDoc plugin for the SDK reference: modules are named by their import specifier
// (`authwire/msw`), not by the file they were read from (`msw`).
import { Converter, ReflectionKind } from 'typedoc';

const SPECIFIERS = { index: 'authwire', api: 'authwire/api', msw: 'authwire/msw', emulator: 'authwire/emulator', 'cookie-jar': 'authwire/cookie-jar' };

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const module of context.project.getReflectionsByKind(ReflectionKind.Module)) {
      module.name = SPECIFIERS[module.name] ?? module.name;
    }
  });
}
