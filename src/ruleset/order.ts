/** Directive order of canonical provision keys: 2(c)(ii) < 2(c)(iv) < 3(1) < 3(10) < 13(1)(a). */

const ROMAN: Record<string, number> = { i: 1, v: 5, x: 10 };

function romanValue(text: string): number | undefined {
  if (!/^[ivx]+$/.test(text)) return undefined;
  let total = 0;
  for (let i = 0; i < text.length; i++) {
    const value = ROMAN[text[i]!]!;
    const next = ROMAN[text[i + 1] ?? ''] ?? 0;
    total += value < next ? -value : value;
  }
  return total;
}

function parts(key: string): string[] {
  const article = key.split('(', 1)[0]!;
  return [article, ...[...key.matchAll(/\(([^)]+)\)/g)].map((m) => m[1]!)];
}

export function compareProvisionKeys(a: string, b: string): number {
  const pa = parts(a);
  const pb = parts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    const nx = Number(x);
    const ny = Number(y);
    if (Number.isInteger(nx) && Number.isInteger(ny)) return nx - ny;
    const rx = romanValue(x);
    const ry = romanValue(y);
    if (rx !== undefined && ry !== undefined) return rx - ry;
    return x < y ? -1 : 1;
  }
  return 0;
}
