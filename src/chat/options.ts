/** The kinds of value a command option can take. */
export type OptionKind = 'string' | 'integer';

/** One option of a command: its name, kind and whether it is required. Definitions are data. */
export interface OptionSpec<N extends string = string, K extends OptionKind = OptionKind, R extends boolean = boolean> {
  readonly name: N;
  readonly kind: K;
  readonly description: string;
  readonly required: R;
  /** Discord offers suggestions while typing (the command implements `autocomplete`). */
  readonly autocomplete?: boolean;
  readonly maxLength?: number;
  readonly min?: number;
  readonly max?: number;
}

type ValueOf<K extends OptionKind> = K extends 'string' ? string : number;

/** The typed `args` of a command, inferred from its option list: required options are never undefined. */
export type ArgsOf<O extends readonly OptionSpec[]> = {
  [S in O[number] as S['name']]: S['required'] extends true ? ValueOf<S['kind']> : ValueOf<S['kind']> | undefined;
};

interface StringOptions {
  autocomplete?: boolean;
  maxLength?: number;
}
interface IntegerOptions {
  min?: number;
  max?: number;
}

// Overloads rather than a generic `required` flag: inside a command definition the builder call
// is contextually typed by OptionSpec, which would widen a generic flag to `boolean`.
function stringOption<N extends string>(name: N, description: string, opts: StringOptions & { required: true }): OptionSpec<N, 'string', true>;
function stringOption<N extends string>(name: N, description: string, opts?: StringOptions & { required?: false }): OptionSpec<N, 'string', false>;
function stringOption(name: string, description: string, opts: StringOptions & { required?: boolean } = {}): OptionSpec {
  return { name, kind: 'string', description, required: opts.required ?? false, autocomplete: opts.autocomplete, maxLength: opts.maxLength };
}

function integerOption<N extends string>(name: N, description: string, opts: IntegerOptions & { required: true }): OptionSpec<N, 'integer', true>;
function integerOption<N extends string>(name: N, description: string, opts?: IntegerOptions & { required?: false }): OptionSpec<N, 'integer', false>;
function integerOption(name: string, description: string, opts: IntegerOptions & { required?: boolean } = {}): OptionSpec {
  return { name, kind: 'integer', description, required: opts.required ?? false, min: opts.min, max: opts.max };
}

/** Builders for option specs. */
export const option = { string: stringOption, integer: integerOption };
