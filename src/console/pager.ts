import { html, type SafeHtml } from "./html.js";

/** Rows per page in the console's lists. */
export const pageSize = 50;

/** The page number in `?halaman=` (1 when missing or not a positive whole number). */
export function pageNumber(value: unknown): number {
  const page = Number(value);
  return Number.isInteger(page) && page >= 1 ? page : 1;
}

/** Links to the previous and next page, keeping the list's other query parameters. */
export function pager(
  path: string,
  query: Readonly<Record<string, string | undefined>>,
  page: number,
  total: number,
): SafeHtml {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const link = (to: number) => {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) if (value) params.set(name, value);
    params.set("halaman", String(to));
    return `${path}?${params}`;
  };
  return html`<nav class="pager" aria-label="Halaman">
${page > 1 ? html`<a href="${link(page - 1)}" rel="prev">← Sebelumnya</a>` : ""}
<span>Halaman ${Math.min(page, pages)} dari ${pages} · ${total} data</span>
${page < pages ? html`<a href="${link(page + 1)}" rel="next">Berikutnya →</a>` : ""}
</nav>`;
}
