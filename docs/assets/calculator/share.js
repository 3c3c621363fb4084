// Share links: the scenario in the URL fragment, #v2=<base64url of zlib-deflated JSON>, compact enough
// for the largest household the core takes (registry.max_members). #v1=<base64url of JSON> links (made
// before, or by a browser without CompressionStream: Chromium < 80, Safari < 16.4) still open. Members carry no id and no label (a name never leaves the phone) and no value
// equal to its default; they come back as 成员1, 成员2 ... A fragment is checked fact by fact against
// the registry the core parses with (calculator/core/facts.py, shipped in manifest.json) before
// anything is filled in; text in it only ever reaches the page as textContent.
const COMPACT = "#v2=";
const PLAIN = "#v1=";
const MAX_LENGTH = 20000;
const MAX_JSON_BYTES = 200000; // what a compact link may inflate to: no zip bomb
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const POLICY_ID = /^[a-z0-9_-]{1,80}$/;

export class ShareError extends Error {}

export async function encodeShare(scenario, registry) {
  const members = scenario.members.map((member) => sharedMember(member, registry));
  const bytes = new TextEncoder().encode(JSON.stringify({ policy: scenario.policy, paid_on: scenario.paid_on, members }));
  if (typeof CompressionStream !== "function") return PLAIN + toBase64Url(bytes);
  return COMPACT + toBase64Url(await pipe(bytes, new CompressionStream("deflate")));
}

// Only registry facts, and only values that differ from the fact's default.
function sharedMember(member, registry) {
  const shared = {};
  for (const fact of registry.facts) {
    const value = member[fact.key];
    if (value !== undefined && value !== null && JSON.stringify(value) !== JSON.stringify(fact.default)) shared[fact.key] = value;
  }
  return shared;
}

// null when the fragment is not a share link at all; throws ShareError when it is one but broken.
export async function decodeShare(hash, registry) {
  if (!hash.startsWith("#v")) return null;
  if (!hash.startsWith(COMPACT) && !hash.startsWith(PLAIN)) {
    throw new ShareError("这个分享链接的格式本网站不认识，可能来自更新的版本。");
  }
  if (hash.length > MAX_LENGTH) throw new ShareError("这个分享链接太长，不像本网站生成的。");
  if (hash.startsWith(COMPACT) && typeof DecompressionStream !== "function") {
    throw new ShareError("这个浏览器版本太旧，打不开这个分享链接；请换用手机自带的浏览器打开。");
  }
  let data, text;
  try {
    let bytes = fromBase64Url(hash.slice(COMPACT.length));
    if (hash.startsWith(COMPACT)) bytes = await pipe(bytes, new DecompressionStream("deflate"), MAX_JSON_BYTES);
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    data = JSON.parse(text);
  } catch {
    throw new ShareError("这个分享链接已损坏或不完整（可能复制时少了一截），无法恢复。");
  }
  // As the core: a number written with a fraction or an exponent (1.0, 2e0) is no whole number, though JavaScript reads 1.
  expect(!/\d[.eE]/.test(text.replace(/"(?:[^"\\]|\\.)*"/g, '""')), "数字");
  return checkScenario(data, registry);
}

export function checkScenario(data, registry) {
  expect(isObject(data) && onlyKeys(data, ["policy", "paid_on", "members"]), "内容");
  expect(typeof data.policy === "string" && POLICY_ID.test(data.policy), "县区");
  expect(isDate(data.paid_on), "缴费日期");
  const members = data.members;
  expect(Array.isArray(members) && members.length >= 1 && members.length <= registry.max_members, "家庭成员");
  return { ...data, members: members.map((m, i) => ({ id: `成员${i + 1}`, ...checkMember(m, `成员${i + 1}`, registry) })) };
}

function checkMember(member, where, registry) {
  const facts = new Map(registry.facts.map((f) => [f.key, f]));
  expect(isObject(member) && onlyKeys(member, [...facts.keys()]), where);
  for (const fact of registry.facts) expect(validFactValue(fact, member[fact.key], registry), `${where}的${fact.label}`);
  for (const fact of registry.facts.filter((f) => f.at_most)) {
    const bound = member[fact.at_most] ?? facts.get(fact.at_most).default;
    expect((member[fact.key] ?? fact.default) <= bound, `${where}的${fact.label}`);
  }
  return member;
}

// What calculator/core/facts.py's parsers accept, kind by kind.
const KIND_CHECKS = {
  date: (fact, v) => isDate(v),
  flag: (fact, v) => typeof v === "boolean",
  integer: (fact, v) => isInteger(v, fact),
  enum: (fact, v) => typeof v !== "boolean" && fact.values.some((option) => option.value === v),
  id_list: (fact, v) => Array.isArray(v) && v.every((item) => typeof item === "string") && new Set(v).size === v.length,
  employment: (fact, v, registry) =>
    isObject(v) && onlyKeys(v, ["stopped_on", "continuous_years"]) && isDate(v.stopped_on) &&
    (v.continuous_years === undefined || isInteger(v.continuous_years, registry.employment_years)),
};

// As Fact.parse: no value (absent or null) is the default, unless the fact is required.
export function validFactValue(fact, value, registry) {
  if (value === undefined || value === null) return !fact.required;
  return KIND_CHECKS[fact.kind](fact, value, registry);
}

function isInteger(v, bounds) {
  return Number.isInteger(v) && !(v < bounds.minimum) && !(v > bounds.maximum);
}

function expect(ok, where) {
  if (!ok) throw new ShareError(`这个分享链接里的「${where}」内容不对，无法恢复。请让对方重新分享。`);
}

function isObject(v) {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function onlyKeys(obj, allowed) {
  return Object.keys(obj).every((k) => allowed.includes(k));
}

// A real calendar day written as YYYY-MM-DD.
function isDate(v) {
  const parts = typeof v === "string" && ISO_DATE.exec(v);
  if (!parts) return false;
  const [year, month, day] = parts.slice(1).map(Number);
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day); // not Date.UTC, which reads years 0-99 as 1900-1999
  return year >= 1 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

// Runs bytes through a (de)compression stream, stopping once more than `limit` bytes come out.
async function pipe(bytes, transform, limit = Infinity) {
  const reader = new Blob([bytes]).stream().pipeThrough(transform).getReader();
  const chunks = [];
  let size = 0;
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    size += chunk.value.byteLength;
    if (size > limit) {
      reader.cancel();
      throw new ShareError("too big");
    }
    chunks.push(chunk.value);
  }
  return new Uint8Array(await new Blob(chunks).arrayBuffer());
}

function toBase64Url(bytes) {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text) {
  return Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
}
