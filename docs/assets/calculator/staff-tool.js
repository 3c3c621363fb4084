// What the staff tools (the village roster, the notice drafter) share: a labelled field, and the
// engine started with its status line (download progress, then ready or why it cannot run).
import { startEngine } from "./engine.js";
import { h } from "../site/dom.js";

export function field(label, control, ...hints) {
  return h("label", { class: "yb-field" }, h("span", { class: "yb-label" }, label), control, ...hints);
}

// Resolves to the engine, or to null once `status` says why there is none. `tool` names the tool
// (计算工具), `use` what cannot be done without WebAssembly (名单计算).
export function startToolEngine(status, { tool, use }) {
  const progress = (loaded, total) => {
    const percent = Math.min(99, Math.floor((loaded / total) * 100));
    status.replaceChildren(h("p", {}, `正在准备${tool}（第一次打开需要下载约 4 MB）：${percent}%`),
      h("progress", { max: 100, value: percent, "aria-label": "准备进度" }));
  };
  progress(0, 1);
  return startEngine({ onProgress: progress }).then(
    (engine) => {
      status.replaceChildren(h("p", { class: "yb-ready" }, `${tool}已准备好。`));
      return engine;
    },
    (failure) => {
      status.replaceChildren(failure.message === "no-wasm"
        ? h("p", { class: "yb-error" }, `这个浏览器不支持 WebAssembly，用不了${use}。请换用新版的 Chrome、Edge 或手机自带浏览器。`)
        : h("p", { class: "yb-error", role: "alert" }, `${tool}启动失败，请刷新页面再试，或换用新版浏览器。`));
      return null;
    });
}
