/// <reference lib="dom" />
// The console page: renders the admin API's snapshot (rooms, recordings) pushed over server-sent events, drives
// rooms and starts recordings through the same API `npm run room` uses, and tails the functions' logs. Plain DOM;
// elements that hold media (players, contact sheets) are created once per recording and never rebuilt, so live
// updates do not restart playback.

interface FieldError {
  field: string;
  expected: string;
  got: string;
}
type ApiError = FieldError | { field: string; message: string };

interface Member {
  userId: string;
  role: "anchor" | "audience";
  color: string;
  toneHz: number;
  robot: boolean;
  since: number;
}
interface RoomView {
  label: string;
  exists: boolean;
  members: Member[];
  departed: Array<{ userId: string; color: string; toneHz: number; leftAt: number }>;
}
interface Tile {
  userId: string;
  color: string;
  live: boolean;
  rect: { x: number; y: number; width: number; height: number };
}
interface RecordingView {
  id: string;
  startedBy: string;
  state: string;
  readStatus?: number;
  room?: string;
  status?: {
    history?: Array<{ at: string; status: string; note?: string }>;
    errors?: FieldError[];
    stop?: { reason: string; detail?: string };
    failure?: { message: string; detail: string };
    roster?: { note: string; mixed?: string[]; away?: string[]; waiting?: string[]; modifyCalls?: number };
    spec?: { mode?: string; isReserve?: boolean };
  };
  task?: { taskId: string; phase: string; trtcStatus: string; canvas: { width: number; height: number }; tiles: Tile[]; voices: Array<{ userId: string; toneHz: number }>; recordedSeconds: number; leaveCode?: number };
  delivery?: { cosWrites: number; parts: number; invocations?: number; lastError?: string };
  files: Array<{ url: string; key: string; bytes: number; kind: "video" | "audio"; href: string }>;
  callback?: { at: number; status: number; body: unknown };
  contactSheetHref?: string;
}
interface Snapshot {
  at: number;
  rooms: RoomView[];
  recordings: RecordingView[];
  formDefaults: Record<string, unknown>;
}
interface LogLine {
  requestId: string;
  functionName: string;
  what: string;
  text: string;
}

const $ = <T extends Element = HTMLElement>(sel: string, root: ParentNode = document): T => {
  const el = root.querySelector<T>(sel);
  if (!el) throw new Error(`console: ${sel} is missing`);
  return el;
};

function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string | undefined> = {}, ...children: Array<Node | string | undefined | false>): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) el.setAttribute(k, v);
  for (const c of children) if (c !== undefined && c !== false) el.append(c);
  return el;
}

export function errorText(e: ApiError): string {
  return "message" in e ? `${e.field}: ${e.message}` : `${e.field}: expected ${e.expected}, got ${e.got}`;
}

async function api<T>(method: string, path: string, body?: unknown): Promise<{ status: number; json: T }> {
  const res = await fetch(path, { method, headers: body === undefined ? {} : { "Content-Type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = (await res.json()) as T;
  return { status: res.status, json };
}

// ---- state ----
let snapshot: Snapshot | undefined;
let currentRoom = "";
let formFilled = false;

// ---- stack ----
interface StackView {
  stackName: string;
  region: string;
  ingressUrl?: string;
  trtc: { sdkAppId: number; eventsUrl: string };
  functions: Array<{ name: string; namespace: string; handler: string; runtime: string; memoryMb: number; timeoutSeconds: number; asyncRun: boolean; versions: string[]; aliases: string[]; asyncRetries: number; layers: string[] }>;
  routes: Array<{ method: string; path: string; url: string; authType: string; integratedResponse: boolean; target: string; timeoutSeconds: number }>;
  triggers: Array<{ type: string; name: string; target: string; detail: string; enabled: boolean }>;
  mounts: Array<{ functionName: string; fsId: string; localMountDir: string; remoteMountDir: string; host?: string }>;
  buckets: string[];
}

function table(head: string[], rows: Array<Array<string | Node>>, testid: string): HTMLTableElement {
  return h("table", { "data-testid": testid }, h("thead", {}, h("tr", {}, ...head.map((c) => h("th", {}, c)))), h("tbody", {}, ...rows.map((r) => h("tr", {}, ...r.map((c) => h("td", {}, c))))));
}

async function loadStack(): Promise<void> {
  const { json: s } = await api<StackView>("GET", "/api/stack");
  $("#stack-name").textContent = `${s.stackName} · ${s.region}`;
  const fnSelect = $<HTMLSelectElement>("#log-function");
  for (const f of s.functions) fnSelect.append(h("option", { value: f.name }, f.name));
  $("#stack-body").replaceChildren(
    h("h3", {}, "Functions"),
    table(
      ["function", "handler", "runtime", "memory / timeout", "versions", "aliases", "async", "layers"],
      s.functions.map((f) => [h("code", {}, `${f.namespace}/${f.name}`), f.handler, f.runtime, `${f.memoryMb} MB / ${f.timeoutSeconds} s`, f.versions.join(", "), f.aliases.join(", ") || "—", f.asyncRun ? `async run, ${f.asyncRetries} retries` : `sync, ${f.asyncRetries} async retries`, f.layers.join(", ") || "—"]),
      "stack-functions",
    ),
    h("h3", {}, "API Gateway routes"),
    s.routes.length
      ? table(["method", "url", "function:qualifier", "auth", "integration response", "timeout"], s.routes.map((r) => [r.method, h("code", {}, r.url), r.target, r.authType, r.integratedResponse ? "ON" : "OFF", `${r.timeoutSeconds} s`]), "stack-routes")
      : h("p", { class: "empty" }, "No API Gateway routes (function-URL ingress)."),
    h("h3", {}, "Triggers"),
    s.triggers.length ? table(["type", "name", "function:qualifier", "detail", "enabled"], s.triggers.map((t) => [t.type, t.name, t.target, t.detail, t.enabled ? "yes" : "no"]), "stack-triggers") : h("p", { class: "empty" }, "No triggers."),
    h("h3", {}, "CFS mounts"),
    s.mounts.length
      ? table(["function", "file system", "mounted at", "remote dir", "local folder"], s.mounts.map((m) => [m.functionName, m.fsId, h("code", {}, m.localMountDir), m.remoteMountDir, h("code", {}, m.host ?? "")]), "stack-mounts")
      : h("p", { class: "empty" }, "No CFS mount (state in the COS state bucket)."),
    h("p", { class: "muted" }, `TRTC SdkAppId ${s.trtc.sdkAppId}, room and recording events → ${s.trtc.eventsUrl}; buckets ${s.buckets.join(", ")}`),
  );
}

// ---- room ----
function showRoomError(e?: ApiError | string): void {
  $("#room-error").textContent = e === undefined ? "" : typeof e === "string" ? e : errorText(e);
}

async function roomAction(action: string, body: Record<string, unknown> = {}): Promise<void> {
  const { status, json } = await api<{ error?: ApiError } & RoomView>("POST", `/api/rooms/${encodeURIComponent(currentRoom)}/${action}`, body);
  if (status >= 400 && json.error) return showRoomError(json.error);
  showRoomError();
  renderRoom(json);
}

function memberCard(m: Member): HTMLElement {
  const face = h("div", { class: "face", "data-testid": "member-face" });
  if (!m.robot) face.style.background = m.color;
  const actions = m.robot
    ? h("div", { class: "who muted" }, "recording robot")
    : h(
        "div",
        { class: "who" },
        h("button", { type: "button", "data-action": "leave" }, "Leave"),
        h("button", { type: "button", "data-action": "role" }, m.role === "anchor" ? "→ audience" : "→ anchor"),
      );
  const card = h("div", { class: `member ${m.role}${m.robot ? " robot" : ""}`, "data-testid": "member", "data-user": m.userId, "data-color": m.color }, face, h("div", { class: "who" }, h("b", {}, m.userId), `${m.role} · ${m.robot ? "robot" : `${m.color} · ${m.toneHz} Hz`}`), actions);
  card.querySelector('[data-action="leave"]')?.addEventListener("click", () => void roomAction("leave", { userId: m.userId }));
  card.querySelector('[data-action="role"]')?.addEventListener("click", () => void roomAction("role", { userId: m.userId, role: m.role === "anchor" ? "audience" : "anchor" }));
  return card;
}

function renderRoom(view: RoomView | undefined): void {
  const body = $("#room-body");
  if (!view) {
    body.replaceChildren(h("p", { class: "empty" }, `Room ${currentRoom} is empty.`));
    return;
  }
  const departed = view.departed.map((d) => {
    const b = h("button", { type: "button", "data-testid": "rejoin", "data-user": d.userId }, `Rejoin ${d.userId}`);
    b.addEventListener("click", () => void roomAction("rejoin", { userId: d.userId }));
    const sw = h("span", { class: "swatch" });
    sw.style.background = d.color;
    return h("span", { class: "row" }, sw, b);
  });
  body.replaceChildren(
    h("div", { class: "muted" }, `Room ${view.label}: ${view.exists ? `${view.members.filter((m) => !m.robot && m.role === "anchor").length} anchor(s), ${view.members.length} user(s) in the room` : "empty (no room exists in TRTC until someone enters)"}`),
    view.members.length ? h("div", { class: "members", "data-testid": "members" }, ...view.members.map(memberCard)) : h("p", { class: "empty", "data-testid": "room-empty" }, "Nobody is in this room. Add an anchor below."),
    departed.length ? h("div", { class: "row" }, h("span", { class: "muted" }, "Left:"), ...departed) : "",
  );
}

function renderRooms(): void {
  if (!snapshot) return;
  const list = $("#known-rooms");
  list.replaceChildren(...snapshot.rooms.map((r) => h("option", { value: r.label })));
  renderRoom(snapshot.rooms.find((r) => r.label === currentRoom));
}

// ---- recording form ----
const form = () => $<HTMLFormElement>("#record-form");

function fillForm(defaults: Record<string, unknown>): void {
  const f = form();
  const cos = (defaults.CosConfig ?? {}) as Record<string, unknown>;
  const values: Record<string, unknown> = { ...defaults, "CosConfig.Region": cos.Region, "CosConfig.Bucket": cos.Bucket, "CosConfig.Path": cos.Path };
  for (const el of Array.from(f.elements) as Array<HTMLInputElement | HTMLSelectElement>) {
    if (!el.name || values[el.name] === undefined) continue;
    if (el instanceof HTMLInputElement && el.type === "checkbox") el.checked = values[el.name] === true;
    else el.value = String(values[el.name]);
  }
}

function readForm(): Record<string, unknown> {
  const f = form();
  const v = (name: string) => (f.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement).value;
  return {
    SdkAppId: v("SdkAppId"),
    RoomId: v("RoomId"),
    StrRoomId: v("StrRoomId"),
    UserId: v("UserId"),
    UserSig: v("UserSig"),
    CosConfig: { Region: v("CosConfig.Region"), Bucket: v("CosConfig.Bucket"), Path: v("CosConfig.Path"), SecretId: v("CosConfig.SecretId"), SecretKey: v("CosConfig.SecretKey") },
    cosKeys: v("cosKeys"),
    Callback: v("Callback"),
    Mode: v("Mode"),
    IsReserve: (f.elements.namedItem("IsReserve") as HTMLInputElement).checked,
  };
}

function showFormErrors(errors: FieldError[]): void {
  const f = form();
  for (const el of Array.from(f.querySelectorAll(".invalid"))) el.classList.remove("invalid");
  for (const el of Array.from(f.querySelectorAll(".field-error"))) el.remove();
  for (const e of errors) {
    // RoomId errors name RoomId even for "neither given": mark both room inputs then.
    const names = e.field === "RoomId" && e.got.startsWith("neither") ? ["RoomId", "StrRoomId"] : [e.field];
    for (const name of names) {
      const input = f.elements.namedItem(name) as HTMLElement | null;
      if (!input) continue;
      input.classList.add("invalid");
      input.parentElement?.append(h("span", { class: "field-error" }, `expected ${e.expected}, got ${e.got}`));
    }
  }
  $("#form-errors").replaceChildren(...errors.map((e) => h("li", { "data-field": e.field }, errorText(e))));
  $("#send-anyway").hidden = errors.length === 0;
}

let validateTimer: number | undefined;
function validateSoon(): void {
  window.clearTimeout(validateTimer);
  validateTimer = window.setTimeout(() => {
    void api<{ errors: FieldError[] }>("POST", "/api/recordings/validate", readForm()).then(({ json }) => showFormErrors(json.errors));
  }, 250);
}

async function submitForm(force: boolean): Promise<void> {
  const result = $("#form-result");
  result.textContent = "sending…";
  const { status, json } = await api<{ ok: boolean; recordingId?: string; errors?: FieldError[]; httpStatus?: number; reply?: string; error?: ApiError }>("POST", `/api/recordings${force ? "?force=1" : ""}`, readForm());
  if (json.error) {
    result.textContent = errorText(json.error);
    return;
  }
  if (!json.ok) {
    showFormErrors(json.errors ?? []);
    result.textContent = json.httpStatus ? `the API answered HTTP ${json.httpStatus}: ${json.reply ?? ""}` : `not sent: ${json.errors?.length ?? 0} field error(s), as POST /record would report them`;
    return;
  }
  showFormErrors([]);
  result.textContent = `POST /record → HTTP ${json.httpStatus} ${JSON.stringify(json.reply ?? "")}; recording ${json.recordingId ?? ""} (status ${status})`;
  result.dataset.recordingId = json.recordingId;
}

// ---- recordings ----
const STEPS = ["STARTING", "RUNNING", "DELIVERING", "FINISHED"];
const cards = new Map<string, HTMLElement>();

function steps(r: RecordingView): HTMLElement {
  const seen = new Set((r.status?.history ?? []).map((x) => x.status));
  const list = r.state === "FAILED" ? [...STEPS.filter((s) => seen.has(s)), "FAILED"] : STEPS;
  return h("div", { class: "steps" }, ...list.flatMap((s, i) => [i ? "→" : "", h("span", { class: s === r.state ? "now" : seen.has(s) ? "done" : "" }, s)]));
}

function roster(r: RecordingView): HTMLElement {
  if (!r.task) return h("p", { class: "empty" }, r.state === "STARTING" || r.state === "UNKNOWN" ? "Waiting for TRTC's recording task…" : "No TRTC task.");
  const { canvas, tiles } = r.task;
  const box = h("div", { class: "roster", "data-testid": "roster" });
  box.style.aspectRatio = `${canvas.width} / ${canvas.height}`;
  for (const t of tiles) {
    const tile = h("div", { class: `tile${t.live ? "" : " held"}`, "data-testid": "roster-tile", "data-user": t.userId, "data-color": t.color }, h("span", {}, t.userId));
    tile.style.left = `${(t.rect.x / canvas.width) * 100}%`;
    tile.style.top = `${(t.rect.y / canvas.height) * 100}%`;
    tile.style.width = `${(t.rect.width / canvas.width) * 100}%`;
    tile.style.height = `${(t.rect.height / canvas.height) * 100}%`;
    tile.style.background = t.color;
    box.append(tile);
  }
  const rules = r.status?.roster;
  return h(
    "div",
    {},
    box,
    h("div", { class: "muted" }, tiles.length ? `tiles as TRTC mixes them (${r.task.phase === "recording" ? "now" : "at the end"})` : "no tile yet (no anchor received)"),
    r.task.voices.length ? h("div", { class: "muted" }, `audio: ${r.task.voices.map((v) => `${v.userId} ${v.toneHz} Hz`).join(", ")}`) : "",
    rules ? h("div", { class: "muted", "data-testid": "roster-rules" }, `roster rules: ${rules.note}${rules.mixed ? `; mixed ${rules.mixed.join(", ") || "—"}` : ""}${rules.away?.length ? `; away ${rules.away.join(", ")}` : ""}${rules.waiting?.length ? `; waiting ${rules.waiting.join(", ")}` : ""}` ) : "",
  );
}

function progress(r: RecordingView): HTMLElement | string {
  const t = r.task;
  if (r.state === "RUNNING" && t?.phase === "recording") {
    const secs = h("span", { "data-testid": "recorded-seconds", "data-seconds": t.recordedSeconds.toFixed(1), "data-live": t.tiles.some((x) => x.live) || t.voices.length ? "1" : "0" }, `${t.recordedSeconds.toFixed(1)} s`);
    return h("div", {}, `TRTC is recording (${t.trtcStatus}): `, secs);
  }
  if (r.state === "RUNNING" && t && t.phase !== "recording") return h("div", {}, h("progress", {}), ` TRTC is rendering and uploading its file (task ${t.phase})`);
  if (r.state === "DELIVERING") {
    const d = r.delivery;
    return h("div", { "data-testid": "delivery-progress" }, h("progress", {}), ` delivering to COS: ${d ? `${d.cosWrites} write(s), ${d.parts} part(s)` : "starting"}${d?.invocations ? `, invocation ${d.invocations}` : ""}${d?.lastError ? ` — last error: ${d.lastError}` : ""}`);
  }
  return "";
}

function media(r: RecordingView, slot: HTMLElement): void {
  // Built once: re-rendering a <video> would restart it.
  if (slot.dataset.built === "1" || !r.files.length) return;
  slot.dataset.built = "1";
  for (const f of r.files) {
    const player = f.kind === "audio" ? h("audio", { controls: "", preload: "metadata", src: f.href, "data-testid": "player" }) : h("video", { controls: "", preload: "auto", muted: "", src: f.href, "data-testid": "player" });
    slot.append(player, h("div", { class: "muted" }, h("a", { href: f.href, download: "" }, f.key), ` ${(f.bytes / 1024).toFixed(1)} KiB · ${f.url}`));
  }
  if (r.contactSheetHref) slot.append(h("img", { src: r.contactSheetHref, alt: "contact sheet", "data-testid": "contact-sheet" }));
}

function recordingCard(r: RecordingView): HTMLElement {
  let card = cards.get(r.id);
  if (!card) {
    card = h("div", { class: "card", "data-testid": "recording", "data-id": r.id });
    card.append(h("div", { class: "card-head" }), h("div", { class: "progress" }), h("div", { class: "card-body" }, h("div", { class: "roster-slot" }), h("div", {}, h("div", { class: "media" }), h("div", { class: "details" }))));
    cards.set(r.id, card);
  }
  card.dataset.state = r.state;
  const stopBtn = r.state === "RUNNING" ? h("button", { type: "button", "data-testid": "stop" }, "Stop (DELETE)") : undefined;
  stopBtn?.addEventListener("click", () => void api("DELETE", `/api/recordings/${encodeURIComponent(r.id)}`));
  const logsBtn = h("button", { type: "button" }, "Logs");
  logsBtn.addEventListener("click", () => {
    setLogFilter(r.id);
    $("#logs").scrollIntoView();
  });
  $(".card-head", card).replaceChildren(
    h("span", { class: `badge state-${r.state}`, "data-testid": "recording-status" }, r.state),
    h("code", {}, r.id),
    h("span", { class: "muted" }, `${r.room ? `room ${r.room}` : ""}${r.status?.spec?.mode ? ` · Mode ${r.status.spec.mode}` : ""}${r.status?.spec ? ` · IsReserve ${String(r.status.spec.isReserve)}` : ""} · started ${r.startedBy === "console" ? "here" : "elsewhere"}`),
    steps(r),
    stopBtn ?? "",
    logsBtn,
  );
  $(".progress", card).replaceChildren(progress(r));
  // Rebuilt only when what it shows changed, so the tiles stay the same elements while a class runs.
  const rosterKey = JSON.stringify([r.state, r.task?.phase, r.task?.tiles, r.task?.voices, r.status?.roster]);
  if (card.dataset.rosterKey !== rosterKey) {
    card.dataset.rosterKey = rosterKey;
    $(".roster-slot", card).replaceChildren(roster(r));
  }
  media(r, $(".media", card));
  const details: Array<Node | string> = [];
  if (r.readStatus === 404) details.push(h("p", { class: "muted" }, "GET /recordings/{id}: 404 so far (the start is being processed)."));
  if (r.status?.errors?.length) details.push(h("ul", { class: "error", "data-testid": "recording-errors" }, ...r.status.errors.map((e) => h("li", {}, errorText(e)))));
  if (r.status?.failure) details.push(h("p", { class: "error" }, `${r.status.failure.message}: ${r.status.failure.detail}`));
  if (r.status?.stop) details.push(h("p", { class: "muted" }, `stopped: ${r.status.stop.reason}${r.status.stop.detail ? ` (${r.status.stop.detail})` : ""}`));
  if (r.callback) details.push(h("h3", {}, `Callback (HTTP ${r.callback.status} answered by the sink)`), h("pre", { "data-testid": "callback-body" }, JSON.stringify(r.callback.body, null, 2)));
  $(".details", card).replaceChildren(...details);
  return card;
}

function renderRecordings(): void {
  if (!snapshot) return;
  const body = $("#recordings-body");
  if (!snapshot.recordings.length) {
    body.replaceChildren(h("p", { class: "empty" }, "No recordings yet: start one with the form above."));
    return;
  }
  const wanted = snapshot.recordings.map(recordingCard);
  // Re-inserting the same nodes is harmless, but skip it when the order is unchanged (players stay put).
  const same = wanted.length === body.children.length && wanted.every((c, i) => body.children[i] === c);
  if (!same) body.replaceChildren(...wanted);
  const sel = $<HTMLSelectElement>("#log-recording");
  const chosen = sel.value;
  sel.replaceChildren(h("option", { value: "" }, "all"), ...snapshot.recordings.map((r) => h("option", { value: r.id }, `${r.id.slice(0, 8)}… ${r.state}`)));
  sel.value = chosen;
}

// Live counters advance between snapshots from the snapshot's own clock.
function tick(): void {
  if (!snapshot) return;
  const elapsed = (Date.now() - snapshot.at) / 1000;
  for (const el of Array.from(document.querySelectorAll<HTMLElement>('[data-testid="recorded-seconds"]'))) {
    const base = Number(el.dataset.base ?? el.dataset.seconds);
    el.dataset.base = String(base);
    const now = el.dataset.live === "1" ? base + elapsed : base;
    el.dataset.seconds = now.toFixed(1);
    el.textContent = `${now.toFixed(1)} s`;
  }
}

// ---- logs ----
let logFilter = { recordingId: "", functionName: "", consoleReads: false };

function logRow(l: LogLine): HTMLElement {
  return h("div", { "data-request": l.requestId }, h("span", { class: "fn" }, l.functionName), " ", h("span", { class: "rid" }, `${l.requestId.slice(0, 8)} ${l.what}`), "  ", l.text);
}

async function loadLogs(): Promise<void> {
  const q = new URLSearchParams({ recordingId: logFilter.recordingId, function: logFilter.functionName, consoleReads: logFilter.consoleReads ? "1" : "", limit: "1000" });
  const { json } = await api<{ lines: LogLine[] }>("GET", `/api/logs?${q}`);
  const body = $("#logs-body");
  body.replaceChildren(...(json.lines.length ? json.lines.map(logRow) : [h("p", { class: "empty" }, logFilter.recordingId ? `No log lines mention ${logFilter.recordingId} yet.` : "No log lines yet.")]));
  body.scrollTop = body.scrollHeight;
}

function setLogFilter(recordingId: string): void {
  logFilter = { ...logFilter, recordingId };
  $<HTMLSelectElement>("#log-recording").value = recordingId;
  void loadLogs();
}

let logReload: number | undefined;
function onLogLine(l: LogLine): void {
  if (logFilter.functionName && l.functionName !== logFilter.functionName) return;
  if (logFilter.recordingId) {
    // Whether a line concerns a recording can depend on its invocation's event: ask the server.
    window.clearTimeout(logReload);
    logReload = window.setTimeout(() => void loadLogs(), 400);
    return;
  }
  const body = $("#logs-body");
  body.querySelector(".empty")?.remove();
  const atBottom = body.scrollHeight - body.scrollTop - body.clientHeight < 40;
  body.append(logRow(l));
  while (body.childElementCount > 1000) body.firstElementChild?.remove();
  if (atBottom) body.scrollTop = body.scrollHeight;
}

// ---- wiring ----
function connect(): void {
  const badge = $("#connection");
  const events = new EventSource("/api/events");
  events.addEventListener("open", () => {
    badge.textContent = "live";
    badge.className = "badge on";
  });
  events.addEventListener("error", () => {
    badge.textContent = "reconnecting…";
    badge.className = "badge off";
  });
  events.addEventListener("state", (e) => {
    snapshot = JSON.parse((e as MessageEvent<string>).data) as Snapshot;
    if (!formFilled) {
      formFilled = true;
      fillForm(snapshot.formDefaults);
      if (!currentRoom) {
        const d = snapshot.formDefaults;
        currentRoom = d.StrRoomId ? `str:${String(d.StrRoomId)}` : String(d.RoomId);
        $<HTMLInputElement>('#room-pick input[name="room"]').value = currentRoom;
      }
    }
    renderRooms();
    renderRecordings();
    document.body.dataset.snapshotAt = String(snapshot.at);
  });
  events.addEventListener("log", (e) => onLogLine(JSON.parse((e as MessageEvent<string>).data) as LogLine));
}

function wire(): void {
  $("#room-pick").addEventListener("submit", (e) => {
    e.preventDefault();
    currentRoom = $<HTMLInputElement>('#room-pick input[name="room"]').value.trim();
    showRoomError();
    void api<RoomView & { error?: ApiError }>("GET", `/api/rooms/${encodeURIComponent(currentRoom)}`).then(({ json }) => (json.error ? showRoomError(json.error) : renderRoom(json)));
  });
  const join = $<HTMLFormElement>("#join-form");
  const colorInput = $<HTMLInputElement>('input[name="color"]', join);
  colorInput.addEventListener("input", () => ($("#color-swatch").style.background = colorInput.value));
  join.addEventListener("submit", (e) => {
    e.preventDefault();
    const v = (n: string) => (join.elements.namedItem(n) as HTMLInputElement).value;
    void roomAction("join", { userId: v("userId"), color: v("color"), tone: v("tone") === "" ? undefined : Number(v("tone")), role: v("role") }).then(() => {
      if (!$("#room-error").textContent) join.reset();
    });
  });
  $("#dismiss").addEventListener("click", () => void roomAction("dismiss"));
  const f = form();
  f.addEventListener("input", validateSoon);
  f.addEventListener("change", () => {
    f.classList.toggle("show-custom", (f.elements.namedItem("cosKeys") as HTMLSelectElement).value === "custom");
    validateSoon();
  });
  f.addEventListener("submit", (e) => {
    e.preventDefault();
    void submitForm(false);
  });
  $("#send-anyway").addEventListener("click", () => void submitForm(true));
  $<HTMLSelectElement>("#log-recording").addEventListener("change", (e) => setLogFilter((e.target as HTMLSelectElement).value));
  $<HTMLSelectElement>("#log-function").addEventListener("change", (e) => {
    logFilter = { ...logFilter, functionName: (e.target as HTMLSelectElement).value };
    void loadLogs();
  });
  $<HTMLInputElement>("#log-console-reads").addEventListener("change", (e) => {
    logFilter = { ...logFilter, consoleReads: (e.target as HTMLInputElement).checked };
    void loadLogs();
  });
  window.setInterval(tick, 250);
}

wire();
void loadStack();
void loadLogs();
connect();
