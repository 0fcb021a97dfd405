/** @jsxImportSource hono/jsx */
/** Form parts: CSRF field, labelled inputs with their errors, choices, the error summary. */
import type { Child } from 'hono/jsx';
import type { FieldErrors } from './layout.js';

export function Csrf(props: { token: string }) {
  return <input type="hidden" name="csrf_token" value={props.token} />;
}

export function HiddenFields(props: { fields?: Record<string, string> | undefined }) {
  if (!props.fields) return null;
  return (
    <>
      {Object.entries(props.fields).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
    </>
  );
}

/** A post form with the CSRF field. */
export function PostForm(props: {
  action: string;
  csrfToken: string;
  confirm?: string;
  class?: string;
  id?: string;
  novalidate?: boolean;
  children?: Child;
}) {
  return (
    <form
      method="post"
      action={props.action}
      class={props.class}
      id={props.id}
      data-confirm={props.confirm}
      novalidate={props.novalidate}
    >
      <Csrf token={props.csrfToken} />
      {props.children}
    </form>
  );
}

function describedBy(...ids: Array<string | false | undefined | null>): string | undefined {
  const list = ids.filter((id): id is string => Boolean(id));
  return list.length ? list.join(' ') : undefined;
}

interface FieldBase {
  id: string;
  name: string;
  label: string;
  error?: string | undefined;
  hint?: Child;
  optional?: boolean;
  required?: boolean;
  class?: string;
}

function FieldShell(props: FieldBase & { control: Child }) {
  const hintId = props.hint ? `${props.id}-hint` : undefined;
  const errorId = props.error ? `${props.id}-error` : undefined;
  return (
    <div class={props.class ? `field ${props.class}` : 'field'}>
      {props.optional ? (
        <div class="field-head">
          <label for={props.id}>{props.label}</label>
          <span class="optional">Optional</span>
        </div>
      ) : (
        <label for={props.id}>{props.label}</label>
      )}
      {props.control}
      {props.hint ? (
        <p class="hint" id={hintId}>
          {props.hint}
        </p>
      ) : null}
      {props.error ? (
        <p class="field-error" id={errorId}>
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

function fieldAria(props: FieldBase) {
  return {
    'aria-invalid': props.error ? 'true' : undefined,
    'aria-describedby': describedBy(props.error && `${props.id}-error`, props.hint ? `${props.id}-hint` : undefined),
  };
}

export interface InputFieldProps extends FieldBase {
  type?: 'text' | 'password' | 'email' | 'url' | 'number' | 'search';
  value?: string | number | null | undefined;
  autocomplete?: string;
  autofocus?: boolean;
  placeholder?: string;
  inputmode?: 'text' | 'numeric' | 'email' | 'url' | 'search' | 'decimal' | 'none' | 'tel';
  min?: number;
  max?: number;
  minlength?: number;
  maxlength?: number;
  pattern?: string;
  spellcheck?: boolean;
  autocapitalize?: 'off' | 'none' | 'on' | 'sentences' | 'words' | 'characters';
  readonly?: boolean;
  inputClass?: string;
}

export function InputField(props: InputFieldProps) {
  const control = (
    <input
      id={props.id}
      name={props.name}
      type={props.type ?? 'text'}
      value={props.value ?? undefined}
      autocomplete={props.autocomplete}
      autofocus={props.autofocus}
      placeholder={props.placeholder}
      inputmode={props.inputmode}
      min={props.min}
      max={props.max}
      minlength={props.minlength}
      maxlength={props.maxlength}
      pattern={props.pattern}
      spellcheck={props.spellcheck}
      autocapitalize={props.autocapitalize}
      readonly={props.readonly}
      required={props.required}
      class={props.inputClass}
      {...fieldAria(props)}
    />
  );
  return <FieldShell {...props} control={control} />;
}

export function TextAreaField(
  props: FieldBase & { value?: string | null | undefined; rows?: number; placeholder?: string; prose?: boolean; maxlength?: number },
) {
  const control = (
    <textarea
      id={props.id}
      name={props.name}
      rows={props.rows ?? 4}
      placeholder={props.placeholder}
      required={props.required}
      maxlength={props.maxlength}
      spellcheck={props.prose ? undefined : false}
      class={props.prose ? 'prose' : undefined}
      {...fieldAria(props)}
    >
      {props.value ?? ''}
    </textarea>
  );
  return <FieldShell {...props} control={control} />;
}

export interface SelectOption {
  value: string;
  label: string;
}

export function SelectField(props: FieldBase & { value?: string | null | undefined; options: SelectOption[] }) {
  const control = (
    <select id={props.id} name={props.name} required={props.required} {...fieldAria(props)}>
      {props.options.map((o) => (
        <option value={o.value} selected={o.value === props.value}>
          {o.label}
        </option>
      ))}
    </select>
  );
  return <FieldShell {...props} control={control} />;
}

export interface ChoiceOption {
  value: string;
  label: Child;
  hint?: Child;
  extra?: Child;
}

/** A fieldset of radios or checkboxes, each with its own label and optional sentence. */
export function ChoiceGroup(props: {
  idPrefix: string;
  name: string;
  legend: string;
  type: 'radio' | 'checkbox';
  options: ChoiceOption[];
  selected: readonly string[];
  error?: string | undefined;
  hint?: Child;
  required?: boolean;
  compact?: boolean;
  class?: string;
}) {
  const errorId = props.error ? `${props.idPrefix}-error` : undefined;
  const hintId = props.hint ? `${props.idPrefix}-hint` : undefined;
  return (
    <fieldset
      class={props.class ? `group ${props.class}` : 'group'}
      id={props.idPrefix}
      aria-describedby={describedBy(errorId, hintId)}
      aria-invalid={props.error ? 'true' : undefined}
    >
      <legend>{props.legend}</legend>
      {props.hint ? (
        <p class="hint" id={hintId}>
          {props.hint}
        </p>
      ) : null}
      <div class={props.compact ? 'choices compact' : 'choices'}>
        {props.options.map((o, i) => {
          const id = `${props.idPrefix}-${i}`;
          const optionHintId = o.hint ? `${id}-hint` : undefined;
          return (
            <div class="choice">
              <input
                type={props.type}
                id={id}
                name={props.name}
                value={o.value}
                checked={props.selected.includes(o.value)}
                required={props.type === 'radio' && props.required ? true : undefined}
                aria-describedby={describedBy(optionHintId, errorId)}
                aria-invalid={props.error && props.type === 'checkbox' ? 'true' : undefined}
              />
              <div class="choice-body">
                <label for={id}>{o.label}</label>
                {o.hint ? (
                  <p class="hint" id={optionHintId}>
                    {o.hint}
                  </p>
                ) : null}
                {o.extra}
              </div>
            </div>
          );
        })}
      </div>
      {props.error ? (
        <p class="field-error" id={errorId}>
          {props.error}
        </p>
      ) : null}
    </fieldset>
  );
}

/** A single checkbox with its label. */
export function CheckboxField(props: {
  id: string;
  name: string;
  label: string;
  checked?: boolean;
  value?: string;
  hint?: Child;
  error?: string | undefined;
}) {
  const hintId = props.hint ? `${props.id}-hint` : undefined;
  const errorId = props.error ? `${props.id}-error` : undefined;
  return (
    <div class="field">
      <div class="check">
        <input
          type="checkbox"
          id={props.id}
          name={props.name}
          value={props.value ?? 'on'}
          checked={props.checked}
          aria-invalid={props.error ? 'true' : undefined}
          aria-describedby={describedBy(errorId, hintId)}
        />
        <label for={props.id}>{props.label}</label>
      </div>
      {props.hint ? (
        <p class="hint" id={hintId}>
          {props.hint}
        </p>
      ) : null}
      {props.error ? (
        <p class="field-error" id={errorId}>
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

/** "There is a problem" summary with links to the fields. */
export function ErrorSummary(props: { items: Array<{ href: string; message: string }> }) {
  if (props.items.length === 0) return null;
  return (
    <div class="alert alert-error" role="alert">
      <div>
        <p>
          <strong>{props.items.length === 1 ? 'Please fix the problem below.' : 'Please fix the problems below.'}</strong>
        </p>
        <ul>
          {props.items.map((item) => (
            <li>
              <a href={item.href}>{item.message}</a>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}

/** Builds ErrorSummary items from a field-name → message record, in the given field order. */
export function summaryItems(errors: FieldErrors | undefined, idFor: (name: string) => string, order: string[] = []) {
  if (!errors) return [];
  const names = [...order.filter((n) => errors[n]), ...Object.keys(errors).filter((n) => !order.includes(n) && errors[n])];
  return names.map((name) => ({ href: `#${idFor(name)}`, message: errors[name]! }));
}
