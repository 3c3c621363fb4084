// The notices the calculator has (manifest.json's `policies`), for every page that picks one: the
// picker's options and each notice's compiled file.
import { h } from "../site/dom.js";
import { CALCULATOR_BASE } from "./engine.js";

// <optgroup>s by province and city (a province-wide notice has no city), an <option> per notice,
// worded by `label` (its name unless told otherwise).
export function policyOptions(policies, label = (entry) => entry.name) {
  const groups = new Map();
  for (const p of policies) {
    const key = `${p.province} ${p.city ?? "全省统一"}`;
    if (!groups.has(key)) groups.set(key, h("optgroup", { label: key }));
    groups.get(key).append(h("option", { value: p.id }, label(p)));
  }
  return [...groups.values()];
}

// The notice's compiled policy as text: the worker is handed this same string with every question.
export async function policyText(entry) {
  const url = CALCULATOR_BASE + entry.url;
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${response.status} ${url}`);
  return response.text();
}
