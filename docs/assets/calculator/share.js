// Share links: the scenario in the URL fragment as #v1=<base64url of JSON>. Members carry no id and
// no label (a name never leaves the phone); they come back as 成员1, 成员2 ... A fragment is checked
// key by key before anything is filled in; text in it only ever reaches the page as textContent.
const PREFIX = "#v1=";
const MAX_LENGTH = 8000;
const MAX_MEMBERS = 20;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ID = /^[a-z0-9_-]{1,80}$/;

export class ShareError extends Error {}

export function encodeShare(scenario) {
  const members = scenario.members.map(({ id, ...rest }) => rest);
  const bytes = new TextEncoder().encode(JSON.stringify({ ...scenario, members }));
  const base64 = btoa(String.fromCharCode(...bytes));
  return PREFIX + base64.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

// null when the fragment is not a share link at all; throws ShareError when it is one but broken.
export function decodeShare(hash) {
  if (!hash.startsWith("#v")) return null;
  if (!hash.startsWith(PREFIX)) throw new ShareError("这个分享链接的格式本网站不认识，可能来自更新的版本。");
  if (hash.length > MAX_LENGTH) throw new ShareError("这个分享链接太长，不像本网站生成的。");
  let data;
  try {
    const base64 = hash.slice(PREFIX.length).replace(/-/g, "+").replace(/_/g, "/");
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    data = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw new ShareError("这个分享链接已损坏或不完整（可能复制时少了一截），无法恢复。");
  }
  return checkScenario(data);
}

function checkScenario(data) {
  expect(isObject(data) && onlyKeys(data, ["policy", "paid_on", "members"]), "内容");
  expect(typeof data.policy === "string" && ID.test(data.policy), "县区");
  expect(isDate(data.paid_on), "缴费日期");
  expect(Array.isArray(data.members) && data.members.length >= 1 && data.members.length <= MAX_MEMBERS, "家庭成员");
  return { ...data, members: data.members.map((m, i) => ({ id: `成员${i + 1}`, ...checkMember(m, i) })) };
}

const MEMBER_CHECKS = {
  birth_date: isDate,
  groups: (v) => Array.isArray(v) && v.length <= 30 && v.every((g) => typeof g === "string" && ID.test(g)),
  student: (v) => typeof v === "string" && ID.test(v),
  tier: (v) => Number.isInteger(v) && v >= 0 && v < 100,
  disability_grade: (v) => Number.isInteger(v) && v >= 1 && v <= 4,
  add_ons: (v) => Array.isArray(v) && v.length <= 10 && v.every((a) => typeof a === "string" && ID.test(a)),
  employee_insurance: (v) =>
    isObject(v) && onlyKeys(v, ["stopped_on", "continuous_years"]) && isDate(v.stopped_on) &&
    Number.isInteger(v.continuous_years) && v.continuous_years >= 0 && v.continuous_years <= 100,
  migrant_worker: (v) => typeof v === "boolean",
  born_in_old_revolutionary_village: (v) => typeof v === "boolean",
};

function checkMember(member, index) {
  const where = `成员${index + 1}`;
  expect(isObject(member) && onlyKeys(member, Object.keys(MEMBER_CHECKS)) && "birth_date" in member, where);
  for (const [key, value] of Object.entries(member)) expect(MEMBER_CHECKS[key](value), where);
  return member;
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

function isDate(v) {
  return typeof v === "string" && ISO_DATE.test(v);
}
