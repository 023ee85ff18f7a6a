import { parseJson } from './json.ts';
import { coerced, rejected, type CoerceResult } from './result.ts';

/**
 * A list: a JSON array (`["a","b"]`, when the text starts with `[`) or comma-separated items
 * (`a, b`), trimmed, empty items dropped. Each comma-separated item is coerced by `item`
 * (`1,2,3` → `[1, 2, 3]` for a list of numbers).
 */
export function coerceList(text: string, item: (text: string) => CoerceResult): CoerceResult {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    const parsed = parseJson(trimmed, 'a list');
    if (!parsed.ok) return parsed;
    return Array.isArray(parsed.value) ? parsed : rejected('expected a JSON array');
  }
  const items: unknown[] = [];
  const parts = trimmed.split(',').map((p) => p.trim());
  for (const [index, part] of parts.entries()) {
    if (part === '') continue;
    const result = item(part);
    if (!result.ok) return rejected(`item ${index + 1}: ${result.reason}`);
    items.push(result.value);
  }
  return coerced(items);
}
