/**
 * Pulumi Cloud's stack tag REST API, for the lease (lease.ts): the one tag write Pulumi Cloud offers that is a
 * create-if-absent. The CLI's `pulumi stack tag set` reads all of a stack's tags and PATCHes the whole map back
 * (pulumi/pulumi pkg/cmd/pulumi/stack/stack_tag.go `newStackTagSetCmd`: `s.Tags()`, then `backend.UpdateStackTags`;
 * pkg/backend/httpstate/client/client.go `UpdateStackTags`: `PATCH .../tags`, "replacing all existing tags"), so
 * a run that read the tags before another run wrote its lease puts the old map back over it. AddStackTag
 * (`POST /api/stacks/{org}/{project}/{stack}/tags`, `{"name","value"}`) "returns 400 if the tag name is invalid or
 * the tag already exists", 204 on success; DeleteStackTag (`DELETE .../tags/{tagName}`) 204, 404 "Tag not found";
 * `GET /api/stacks/{org}/{project}/{stack}` returns the stack with its `tags` (Pulumi Cloud's OpenAPI spec as
 * pulumi/pulumi-pulumiservice carries it, provider/pkg/cloud/spec.json; headers as
 * https://www.pulumi.com/docs/reference/cloud-rest-api/ gives them).
 *
 * Self-managed backends (s3://, azblob://, gs://, file://) have no such API: for them `cloudTagsFor` says so
 * (undefined) and the lease stays as it was.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LocalWorkspace, Stack, WhoAmIResult } from "@pulumi/pulumi/automation";
import { Agent, Dispatcher, EnvHttpProxyAgent, fetch } from "undici";
import type { StepProcesses } from "./bounds";
import { workspaceTarget } from "./cliRead";
import { RetryPolicy, backoffMs, isTransient } from "./retry";
import { PulumiUnavailableError, ReconcileError } from "./stackOps";

/** A stack's tags as Pulumi Cloud's REST API reads and writes them, each request bounded. */
export interface StrictTags {
    /** The stack's tags (GetStack). */
    read(): Promise<Record<string, string>>;
    /** AddStackTag: true when this request created it; false when the tag exists (a read shows it), whoever wrote it. */
    add(name: string, value: string): Promise<boolean>;
    /**
     * DeleteStackTag: false when there was no such tag (404). Never repeated once an attempt may have landed: it
     * throws a CloudTagError whose `mayHaveLanded` is true, and that request may still remove the tag later.
     */
    remove(name: string): Promise<boolean>;
}

/**
 * A request Pulumi Cloud refused or did not answer, after its retries: a ReconcileError, whose message the command
 * prints as it is. `[<status>]` in it as the CLI words it, so isTransient reads it.
 */
export class CloudTagError extends ReconcileError {
    /** `mayHaveLanded`: the request was sent and no answer says it was not applied (a timeout, a lost connection, a 5xx). */
    constructor(message: string, readonly mayHaveLanded = false) {
        super(message);
        this.name = "CloudTagError";
    }
}

/** The longest one request may take before it is given up and retried; at most half a step's read limit (bounds.ts), so a retry fits in it. */
export const REQUEST_MS = 30_000;

/**
 * Pulumi Cloud's API URL for the backend `whoami` names, or undefined for a self-managed backend. `whoami --json`'s
 * `url` is the console's, not the API's: `cloudBackend.URL` is `client.CloudConsoleURL(b.url, user)`
 * (pulumi/pulumi pkg/backend/httpstate/backend.go), which turns `api.<domain>` into `app.<domain>` and
 * `localhost:8080` into `localhost:3000`, and is "" for any other API host (pkg/backend/httpstate/client/console.go);
 * a self-managed backend's URL is its storage URL (s3://, azblob://, gs://, file://). The order:
 * - `PULUMI_BACKEND_URL`, which the CLI also reads first (pulumi/pulumi pkg/workspace/creds.go `GetCurrentCloudURL`);
 * - else the `api.` host of whoami's `app.` console (https://api.pulumi.com for app.pulumi.com, the CLI's
 *   `PulumiCloudURL`): whoami names the backend this run's CLI really used, a project's Pulumi.yaml `backend.url`
 *   included, which `current` may not be;
 * - else the credentials file's `current`, the last `pulumi login`: for a self-hosted API host whose console
 *   whoami cannot name ("").
 */
export function cloudApiUrl(whoAmIUrl: string | undefined, loggedIn: () => { backendUrl?: string; current?: string }): string | undefined {
    const shown = whoAmIUrl ?? "";
    if (shown !== "" && !/^https?:\/\//i.test(shown)) return undefined;
    const web = (url: string | undefined) => (url && /^https?:\/\//i.test(url) ? url.replace(/\/+$/, "") : undefined);
    const { backendUrl, current } = loggedIn();
    const set = web(backendUrl);
    if (set) return set;
    if (shown !== "") {
        const u = new URL(shown);
        if (u.host.startsWith("app.")) return `${u.protocol}//api.${u.host.slice("app.".length)}`;
        if (u.host === "localhost:3000") return `${u.protocol}//localhost:8080`;
    }
    const recorded = web(current);
    if (recorded) return recorded;
    throw new PulumiUnavailableError(`Pulumi Cloud's API URL cannot be told from \`pulumi whoami\`'s URL "${shown}"; set PULUMI_BACKEND_URL to the URL \`pulumi login\` was given`);
}

/** The environment the workspace's CLI runs with (cliProcess.ts adds the variables of cliRead.ts `workspaceTarget` to this process's). */
function envOf(workspace: LocalWorkspace): Record<string, string | undefined> {
    return { ...process.env, ...workspaceTarget(workspace).env };
}

/**
 * The CLI's credentials file, `credentials.json` in `PULUMI_CREDENTIALS_PATH`, else `PULUMI_HOME`, else ~/.pulumi
 * (pulumi/pulumi sdk/go/common/workspace/creds.go `getCredsFilePath`, `Credentials`: `current`, `accessTokens` by
 * API URL, `accounts`). undefined when it is missing; `sealed` when the CLI keeps it encrypted (securestore's
 * `$pulumiSecureStore` envelope, creds.go `readCredentialsFile`).
 */
function credentials(env: Record<string, string | undefined>): { file: string; current?: string; tokens: Record<string, string>; insecure: Record<string, boolean>; sealed: boolean } | undefined {
    const dir = env.PULUMI_CREDENTIALS_PATH || env.PULUMI_HOME || path.join(os.homedir(), ".pulumi");
    const file = path.join(dir, "credentials.json");
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch {
        return undefined;
    }
    try {
        const c = JSON.parse(text || "{}") as { current?: string; accessTokens?: Record<string, string>; accounts?: Record<string, { accessToken?: string; insecure?: boolean }>; $pulumiSecureStore?: unknown };
        const tokens: Record<string, string> = {};
        const insecure: Record<string, boolean> = {};
        for (const [url, account] of Object.entries(c.accounts ?? {})) {
            if (account?.accessToken) tokens[url] = account.accessToken;
            // `pulumi login --insecure` (creds.go `Account.Insecure`): the CLI then skips TLS verification for this URL.
            if (account?.insecure === true) insecure[url] = true;
        }
        Object.assign(tokens, c.accessTokens ?? {});
        return { file, current: c.current, tokens, insecure, sealed: c.$pulumiSecureStore !== undefined };
    } catch {
        return { file, tokens: {}, insecure: {}, sealed: false };
    }
}

/**
 * The token for `api` and where it came from (for a 401's message): PULUMI_ACCESS_TOKEN, else the credentials
 * file's; one sentence naming PULUMI_ACCESS_TOKEN when there is none.
 */
function tokenFor(api: string, env: Record<string, string | undefined>): { token: string; source: string } {
    // Pulumi Deployments sets it for the deployment, and it cannot be changed there.
    if (env.PULUMI_ACCESS_TOKEN) return { token: env.PULUMI_ACCESS_TOKEN, source: "PULUMI_ACCESS_TOKEN (in Pulumi Deployments, the token it injects for the deployment's stack)" };
    const creds = credentials(env);
    const token = creds?.tokens[api] ?? creds?.tokens[`${api}/`];
    if (token && creds) return { token, source: `the token \`pulumi login\` stored for ${api} in ${creds.file}` };
    const where = !creds ? "no credentials file" : creds.sealed ? `${creds.file} is encrypted` : `no token for ${api} in ${creds.file}`;
    throw new PulumiUnavailableError(`the stack's lease on Pulumi Cloud is taken through its REST API, which needs an access token: set PULUMI_ACCESS_TOKEN (${where})`);
}

/**
 * How requests reach `api`, as the CLI's do: through the proxy `HTTPS_PROXY`/`HTTP_PROXY` name unless `NO_PROXY`
 * excludes the host (the CLI's `http.DefaultTransport`, pulumi/pulumi pkg/backend/httpstate/client/api.go, reads
 * them with Go's `http.ProxyFromEnvironment`; Node's own fetch ignores them), and without TLS verification only when
 * `pulumi login --insecure` recorded it for this URL. Node trusts its bundled CAs, not the system's as the CLI
 * does: a private CA needs `NODE_EXTRA_CA_CERTS` (README).
 */
export function dispatcherFor(api: string, env: Record<string, string | undefined>): Dispatcher {
    const creds = credentials(env);
    const insecure = creds?.insecure[api] === true || creds?.insecure[`${api}/`] === true;
    const tls = insecure ? { rejectUnauthorized: false } : {};
    // The first one set, upper case before lower as Go's httpproxy reads them; "" (not undefined) so undici does
    // not read this process's own.
    const pick = (name: string) => env[name] || env[name.toLowerCase()] || "";
    const [httpProxy, httpsProxy, noProxy] = [pick("HTTP_PROXY"), pick("HTTPS_PROXY"), pick("NO_PROXY")];
    if (httpProxy === "" && httpsProxy === "") return new Agent({ connect: tls });
    // `requestTls`: TLS to the API through the proxy's tunnel (undici ProxyAgent); `connect`: to a host NO_PROXY names.
    const options: EnvHttpProxyAgent.Options & { requestTls?: object } = { httpProxy, httpsProxy, noProxy, connect: tls, requestTls: tls };
    return new EnvHttpProxyAgent(options);
}

export interface CloudTagContext {
    readonly sleep: (ms: number) => Promise<void>;
    readonly retry: RetryPolicy;
    readonly log: (line: string) => void;
    /** The longest one request may take. @default REQUEST_MS */
    readonly requestMs?: number;
}

/** A network failure's message with its code (fetch's `cause`), so isTransient tells a reset from a refusal. */
function networkMessage(err: unknown): string {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return [(err as Error).message, cause?.code, cause?.message].filter(Boolean).join(": ");
}

/**
 * Failures of a request that was never applied: no connection was made (refused, no DNS answer, no connect within
 * the time), or the service throttled it (429). Any other failure of a sent request may have landed.
 */
const NOT_SENT = [/\[429\]/, /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|UND_ERR_CONNECT_TIMEOUT)\b/];

/** How many AddStackTags may get 400 for a tag that a read then finds absent before the 400 counts as "invalid". */
const ADD_ATTEMPTS = 3;

/**
 * undici's failures of a connection (fetch's `cause.code`), worth another attempt of a read or an add: a kept-alive
 * connection the other side closed (UND_ERR_SOCKET, "other side closed"), no connection in time.
 */
const UNDICI_TRANSIENT = /\b(UND_ERR_SOCKET|UND_ERR_CONNECT_TIMEOUT|ECONNRESET)\b|other side closed/;

/** Pulumi Cloud's tag API for one stack (`org/project/stack`, stackOps.ts `qualifiedName`). */
export class CloudTags {
    /** `token`: its value, and where it came from for a 401's message (tokenFor). */
    constructor(readonly api: string, private readonly stackPath: string, private readonly token: { token: string; source: string }, private readonly ctx: CloudTagContext,
        private readonly dispatcher: Dispatcher = new Agent()) {}

    /**
     * The same API within a bounded step (bounds.ts StepProcesses): every request is stopped when the step gives up,
     * and counts as the step's running read (GET) or write (POST, DELETE) until it has ended.
     */
    within(step: Pick<StepProcesses, "signal" | "track">): StrictTags {
        const base = `${this.api}/api/stacks/${this.stackPath.split("/").map(encodeURIComponent).join("/")}`;
        const request = (method: string, url: string, body?: unknown) => {
            const sent = this.request(method, url, step.signal, body);
            step.track(sent.then(() => "ended" as const, () => "ended" as const), method === "GET" ? "read" : "write");
            return sent;
        };
        const read = async () => {
            const r = await request("GET", base);
            // A 404 or 400 is a wrong URL or stack path, not a stack without tags: release would leave the lease.
            if (r.status !== 200) throw new CloudTagError(`Pulumi Cloud: GET ${new URL(base).pathname}: [${r.status}] ${r.message} (is ${this.api} this stack's backend?)`);
            return (r.json as { tags?: Record<string, string> }).tags ?? {};
        };
        return {
            read,
            add: async (name, value) => {
                for (let attempt = 1; ; attempt++) {
                    const r = await request("POST", `${base}/tags`, { name, value });
                    if (r.status === 204 || r.status === 200) return true;
                    // 400 is "invalid" or "already exists": only a read that shows the tag says which. Absent, it may
                    // have been removed since (a takeover deleting its claim, a release): tried again, a few times.
                    if ((await read())[name] !== undefined) return false;
                    if (r.status !== 400 || attempt >= ADD_ATTEMPTS) throw new CloudTagError(`Pulumi Cloud refused to add stack tag ${name}: [${r.status}] ${r.message}`);
                }
            },
            remove: async (name) => {
                const r = await request("DELETE", `${base}/tags/${encodeURIComponent(name)}`);
                if (r.status === 404) return false;
                if (r.status === 204 || r.status === 200) return true;
                throw new CloudTagError(`Pulumi Cloud refused to delete stack tag ${name}: [${r.status}] ${r.message}`);
            },
        };
    }

    /**
     * One request, retried on a network failure, a 5xx, a 429 or no answer within `requestMs` (retry.ts); a 400 or
     * 404 is returned to the caller, which knows what it means. A retried add may repeat one that landed: the add then
     * finds its own tag (lease.ts reads whose it is). A DELETE is retried only when its attempt was never applied
     * (NOT_SENT): it names the tag, not its value (`DELETE .../tags/{tagName}`), so an attempt that lands after its
     * retry was answered removes whatever the tag holds by then, another run's lease perhaps. Its failure says
     * `mayHaveLanded` instead, and the caller must not act as if the tag were gone (lease.ts `takeOver`).
     */
    private async request(method: string, url: string, signal: AbortSignal, body?: unknown): Promise<{ status: number; message: string; json: unknown }> {
        const what = `${method} ${new URL(url).pathname}`;
        for (let attempt = 1; ; attempt++) {
            if (signal.aborted) throw new CloudTagError(`Pulumi Cloud: ${what} not sent: its step gave up`);
            const ms = this.ctx.requestMs ?? REQUEST_MS;
            let message: string;
            try {
                const res = await fetch(url, {
                    method, dispatcher: this.dispatcher, signal: AbortSignal.any([signal, AbortSignal.timeout(ms)]),
                    headers: { Accept: "application/vnd.pulumi+8", "Content-Type": "application/json", Authorization: `token ${this.token.token}` },
                    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
                });
                const text = await res.text();
                let json: unknown;
                try {
                    json = text ? JSON.parse(text) : undefined;
                } catch {
                    json = undefined;
                }
                const said = (json as { message?: string } | undefined)?.message ?? (text.slice(0, 200) || res.statusText);
                if (res.ok && method === "GET" && json === undefined) throw new CloudTagError(`Pulumi Cloud: ${what} answered ${res.status} without a JSON body (is ${this.api} Pulumi Cloud's API URL?)`);
                if (res.ok || res.status === 400 || res.status === 404) return { status: res.status, message: said, json };
                message = `Pulumi Cloud: ${what}: [${res.status}] ${said}`;
                if (res.status === 401 || res.status === 403) throw new CloudTagError(`${message}; check ${this.token.source}`);
            } catch (err) {
                if (err instanceof CloudTagError) throw err;
                if (signal.aborted) throw new CloudTagError(`Pulumi Cloud: ${what} stopped: its step gave up (it may have landed)`, true);
                message = (err as Error).name === "TimeoutError"
                    ? `Pulumi Cloud: ${what} did not answer within ${ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`} (ETIMEDOUT; it may have landed)`
                    : `Pulumi Cloud: ${what} failed: ${networkMessage(err)}`;
            }
            const unsent = NOT_SENT.some((p) => p.test(message));
            if (method === "DELETE" && !unsent) throw new CloudTagError(`${message}; not retried: it may still land`, true);
            if (!(isTransient(message) || UNDICI_TRANSIENT.test(message)) || attempt >= this.ctx.retry.attempts) throw new CloudTagError(attempt > 1 ? `${message} (after ${attempt} attempts)` : message, !unsent);
            const wait = backoffMs(this.ctx.retry, attempt);
            this.ctx.log(`lease: ${message}; retrying in ${Math.round(wait / 1000)} s`);
            await this.ctx.sleep(wait);
        }
    }
}

/**
 * The tag API of `stack` on Pulumi Cloud (`owner`: its `org/project/stack`), or undefined on a self-managed backend.
 * Throws PulumiUnavailableError when the API URL or an access token cannot be found.
 */
export function cloudTagsFor(stack: Stack, whoAmI: WhoAmIResult, owner: string, ctx: CloudTagContext): CloudTags | undefined {
    const env = envOf(stack.workspace as LocalWorkspace);
    const api = cloudApiUrl(whoAmI.url, () => ({ backendUrl: env.PULUMI_BACKEND_URL, current: credentials(env)?.current }));
    if (api === undefined) return undefined;
    return new CloudTags(api, owner, tokenFor(api, env), ctx, dispatcherFor(api, env));
}
