import type { z } from "zod";
import { html, type SafeHtml } from "./html.js";

export type FieldErrors = Readonly<Record<string, string>>;

export type FormResult<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors };

/**
 * Checks a posted form against a zod schema whose messages are Indonesian; on failure, one
 * message per field so the page can show the form again with what the staff member typed.
 */
export function readForm<Schema extends z.ZodType>(
  schema: Schema,
  body: unknown,
): FormResult<z.output<Schema>> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return { ok: true, data: result.data };
  const errors: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? "_form");
    errors[field] ??= issue.message;
  }
  return { ok: false, errors };
}

export interface FieldOptions {
  name: string;
  label: string;
  value?: string | number | null | undefined;
  error?: string | undefined;
  type?: "text" | "email" | "password" | "number" | "date" | "time" | "datetime-local" | "search";
  required?: boolean;
  hint?: string;
  autocomplete?: string;
}

function described(options: FieldOptions): SafeHtml {
  return html`${options.hint ? html`<small id="${options.name}-hint">${options.hint}</small>` : ""}${
    options.error
      ? html`<strong class="field-error" id="${options.name}-error">${options.error}</strong>`
      : ""
  }`;
}

function describedBy(options: FieldOptions): SafeHtml {
  const ids = [
    options.hint && `${options.name}-hint`,
    options.error && `${options.name}-error`,
  ].filter(Boolean);
  return ids.length > 0 ? html` aria-describedby="${ids.join(" ")}"` : html``;
}

/** A labelled input showing its error (if any) next to it. */
export function inputField(options: FieldOptions): SafeHtml {
  return html`<label class="field${options.error ? " invalid" : ""}"><span>${options.label}</span>
<input type="${options.type ?? "text"}" name="${options.name}" value="${options.value ?? ""}"${
    options.required ? html` required` : ""
  }${options.autocomplete ? html` autocomplete="${options.autocomplete}"` : ""}${describedBy(options)}>
${described(options)}</label>`;
}

export function textAreaField(options: FieldOptions & { rows?: number }): SafeHtml {
  return html`<label class="field${options.error ? " invalid" : ""}"><span>${options.label}</span>
<textarea name="${options.name}" rows="${options.rows ?? 4}"${options.required ? html` required` : ""}${describedBy(options)}>${
    options.value ?? ""
  }</textarea>
${described(options)}</label>`;
}

export interface Choice {
  value: string;
  label: string;
}

export function selectField(options: FieldOptions & { choices: readonly Choice[] }): SafeHtml {
  return html`<label class="field${options.error ? " invalid" : ""}"><span>${options.label}</span>
<select name="${options.name}"${options.required ? html` required` : ""}${describedBy(options)}>
${options.choices.map(
  (choice) =>
    html`<option value="${choice.value}"${String(options.value ?? "") === choice.value ? html` selected` : ""}>${choice.label}</option>`,
)}
</select>
${described(options)}</label>`;
}

/** Checkboxes sharing one name; the form posts the checked values. */
export function checkboxesField(
  options: Omit<FieldOptions, "value"> & { choices: readonly Choice[]; values: readonly string[] },
): SafeHtml {
  return html`<fieldset class="field${options.error ? " invalid" : ""}"><legend>${options.label}</legend>
${options.choices.map(
  (choice) =>
    html`<label class="check"><input type="checkbox" name="${options.name}" value="${choice.value}"${
      options.values.includes(choice.value) ? html` checked` : ""
    }> ${choice.label}</label>`,
)}
${described(options)}</fieldset>`;
}

/** A field posted as one value or several (checkboxes) as a list. */
export function listOfValues(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === "string");
  return typeof value === "string" && value !== "" ? [value] : [];
}
