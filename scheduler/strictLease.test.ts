/**
 * The lease on Pulumi Cloud, end to end through the real Automation API code, the fake CLI's cloud backend and the
 * fake Pulumi Cloud API (testing/fake/api.js) over the same tags. The CLI's `stack tag set` PATCHes back the whole
 * map it read (pulumi/pulumi pkg/cmd/pulumi/stack/stack_tag.go), so a lease written with it can be put back over by
 * a slower run; AddStackTag refuses a tag that exists, so exactly one run holds the lease.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as http from "http";
import * as https from "https";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { TimeoutError } from "./bounds";
import { CloudTagError, cloudApiUrl, dispatcherFor } from "./cloudTags";
import { CLAIM_PREFIX, LEASE_TAG, LeaseError, RELEASED, claimTag } from "./lease";
import { fetch } from "undici";
import { PulumiUnavailableError } from "./stackOps";
import { FRIDAY_EVENING, Harness, MONDAY, SATURDAY, harness } from "./testing/harness";

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const real = { clock: () => new Date(), sleep, leaseSettleMs: 500, retry: { attempts: 2, baseDelayMs: 50, maxDelayMs: 50 } };

/** Resolves once `seen()` holds, polling (a fixed delay is a race on a loaded machine). */
async function until(seen: () => boolean): Promise<void> {
    for (let i = 0; i < 400 && !seen(); i++) await sleep(25);
    assert.ok(seen(), "the awaited call never came");
}

/** The one run that went on and the others' errors. */
function outcome(results: PromiseSettledResult<unknown>[]): { won: number; errors: Error[] } {
    return { won: results.filter((r) => r.status === "fulfilled").length, errors: results.flatMap((r) => (r.status === "rejected" ? [r.reason as Error] : [])) };
}

describe("the lease on Pulumi Cloud", function () {
    this.timeout(120_000);
    let h: Harness;
    beforeEach(async () => {
        h = await harness({ backend: "cloud" });
    });
    afterEach(() => h.cleanup());
    const tags = () => h.backend.read().stacks.dev.tags;
    const leaseWriteStarted = () => h.backend.calls().some((c) => c[0] === "stack" && c[2] === "set" && c[3] === LEASE_TAG) ||
        h.backend.apiCalls().some((c) => c[0] === "POST" && (c[2] as { name?: string } | undefined)?.name === LEASE_TAG);

    it("lets one of two runs go on when the other's lease write lands after this one's settle wait, and the data survives", async () => {
        h.backend.edit((s) => s.failures.push(
            // The first run's lease write lands 3 s after it was sent, longer than the other run's settle wait (0.5 s).
            { command: "stack tag set", key: LEASE_TAG, times: 1, mode: "late", delayMs: 3000 },
            { command: "api AddStackTag", key: LEASE_TAG, times: 1, mode: "late", delayMs: 3000 },
            // The teardown's destroy is still running when that write lands.
            { command: "destroy", times: 1, mode: "delay", delayMs: 5000 },
        ));
        const first = h.run(FRIDAY_EVENING, real);
        await until(leaseWriteStarted);
        // Its tag read comes before the first run's write lands, as the first run's did.
        const second = h.run(new Date(FRIDAY_EVENING.getTime() + 60_000), real);
        const { won, errors } = outcome(await Promise.allSettled([first, second]));
        assert.strictEqual(won, 1, `exactly one run goes on: ${errors.map(String).join("; ")}`);
        assert.ok(errors[0] instanceof LeaseError, String(errors[0]));
        assert.match(errors[0].message, /another reconciler holds stack dev .*; this run changes nothing/);
        assert.strictEqual(h.backend.mutations().filter((m) => m === "destroy").length, 1);
        assert.strictEqual(tags()[LEASE_TAG], undefined, "the lease was given back");
        assert.strictEqual(h.backend.read().cloud.serial, 1, "no store was re-created empty");

        await h.run(MONDAY);
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M1" });
    });

    it("lets one of two runs that take over the same stale lease at once go on", async () => {
        const stale = JSON.stringify({ run: "crashed", owner: "ci@runner-1", host: "runner-1", pid: 4242, since: new Date(Date.now() - 3 * 3_600_000).toISOString(), ns: "", start: "" });
        h.backend.edit((s) => {
            s.stacks.dev.tags[LEASE_TAG] = stale;
            s.failures.push(
                // One run's claim lands while the other's removal of the stale lease is still under way.
                { command: "api AddStackTag", key: claimTag(stale), times: 1, mode: "late", delayMs: 1000 },
                { command: "api DeleteStackTag", key: LEASE_TAG, times: 1, mode: "late", delayMs: 2000 },
            );
        });
        const results = await Promise.allSettled([h.run(SATURDAY, real), h.run(SATURDAY, real)]);
        const { won, errors } = outcome(results);
        assert.strictEqual(won, 1, `exactly one run goes on: ${errors.map(String).join("; ")}`);
        assert.ok(errors[0] instanceof LeaseError, String(errors[0]));
        assert.match(errors[0].message, /another reconciler (holds|is taking over the stale lease of) stack dev .*; this run changes nothing/);
        assert.match(h.log(), /lease: taking over the lease of ci@runner-1 .*180 min old/);
        assert.strictEqual(h.backend.mutations().filter((m) => m === "destroy").length, 1);
        assert.deepStrictEqual(Object.keys(tags()).filter((k) => k === LEASE_TAG || k.startsWith(CLAIM_PREFIX)), [], "no lease or claim is left");
        assert.strictEqual(h.backend.read().cloud.serial, 1);
    });

    it("takes over a claim left by a run that crashed mid-takeover once it is stale, and a live claim stops the run", async () => {
        const stale = JSON.stringify({ run: "crashed", owner: "ci@runner-1", host: "runner-1", pid: 4242, since: new Date(Date.now() - 3 * 3_600_000).toISOString(), ns: "", start: "" });
        const claimant = (since: Date) => JSON.stringify({ run: "claimant", owner: "ci@runner-2", host: "runner-2", pid: 4343, since: since.toISOString(), ns: "", start: "" });
        h.backend.edit((s) => Object.assign(s.stacks.dev.tags, { [LEASE_TAG]: stale, [claimTag(stale)]: claimant(new Date(Date.now() - 60_000)) }));
        const live = await h.attempt(SATURDAY, { clock: () => new Date() });
        assert.ok(live instanceof LeaseError, String(live));
        assert.match(live.message, /another reconciler is taking over the stale lease of stack dev \(ci@runner-2 .*1 min old.*\); this run changes nothing/);
        assert.deepStrictEqual(h.backend.mutations(), ["up"], "only the person's first up");

        h.backend.edit((s) => void (s.stacks.dev.tags[claimTag(stale)] = claimant(new Date(Date.now() - 3 * 3_600_000))));
        await h.run(SATURDAY, { clock: () => new Date() });
        assert.match(h.log(), /the run that claimed the stale lease is gone \(ci@runner-2/);
        assert.deepStrictEqual(Object.keys(tags()).filter((k) => k === LEASE_TAG || k.startsWith(CLAIM_PREFIX)), []);
        assert.strictEqual(h.backend.read().stacks.dev.resources.length, 0, "the teardown ran");
    });

    it("takes over a lease that reads `released` (a stack moved from a self-managed backend) and gives it back with DeleteStackTag", async () => {
        h.backend.edit((s) => void (s.stacks.dev.tags[LEASE_TAG] = RELEASED));
        await h.run(FRIDAY_EVENING);
        assert.match(h.log(), /lease: taking over the lease: it reads released/);
        assert.strictEqual(tags()[LEASE_TAG], undefined);
        assert.deepStrictEqual(h.backend.apiCalls().filter((c) => c[0] === "DELETE").map((c) => c[1]),
            [`/api/stacks/intergalactic/intergalactic/dev/tags/${encodeURIComponent(LEASE_TAG)}`, `/api/stacks/intergalactic/intergalactic/dev/tags/${encodeURIComponent(claimTag(RELEASED))}`,
                `/api/stacks/intergalactic/intergalactic/dev/tags/${encodeURIComponent(LEASE_TAG)}`], "the released lease, the claim, then this run's own lease");
        assert.strictEqual(h.backend.read().stacks.dev.resources.length, 0, "the teardown ran");
    });

    it("never repeats a DeleteStackTag that may have landed: a takeover whose stale-lease delete got no answer stops and keeps its claim, and the late delete removes no lease", async () => {
        const stale = JSON.stringify({ run: "crashed", owner: "ci@runner-1", host: "runner-1", pid: 4242, since: new Date(Date.now() - 3 * 3_600_000).toISOString(), ns: "", start: "" });
        const deletes = () => h.backend.apiCalls().filter((c) => c[0] === "DELETE" && c[1] === `/api/stacks/intergalactic/intergalactic/dev/tags/${encodeURIComponent(LEASE_TAG)}`).length;
        h.backend.edit((s) => {
            s.stacks.dev.tags[LEASE_TAG] = stale;
            // Lands 3 s after it was sent, after the run gave up on it (each request gets half the 4 s read limit).
            s.failures.push({ command: "api DeleteStackTag", key: LEASE_TAG, times: 1, mode: "late", delayMs: 3000 });
        });
        const stopped = await h.attempt(SATURDAY, { clock: () => new Date(), limits: { readMs: 4000 }, retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 1 } });
        assert.ok(stopped instanceof LeaseError, String(stopped));
        assert.match(stopped.message, /^stack dev: deleting the stale lease got no answer and may still land .*not retried.*; this run keeps its claim, changes nothing and leaves the stack to the next run: try again later$/);
        assert.strictEqual(deletes(), 1, "the delete was sent once");
        assert.deepStrictEqual(h.backend.mutations(), ["up"]);
        assert.ok(tags()[claimTag(stale)] !== undefined, "the claim stays while the delete may land");
        await until(() => tags()[LEASE_TAG] === undefined);

        // The late delete has landed: the next run adds its lease, which nothing removes, and gives it back.
        await h.run(SATURDAY, { clock: () => new Date() });
        assert.strictEqual(h.backend.read().stacks.dev.resources.length, 0, "the teardown ran");
        assert.strictEqual(deletes(), 2, "only this run's own release deleted the lease");
        assert.strictEqual(tags()[LEASE_TAG], undefined);
    });

    it("does not repeat the release's DeleteStackTag that got no answer: the lease is left for the next run to judge", async () => {
        h.backend.edit((s) => s.failures.push({ command: "api DeleteStackTag", key: LEASE_TAG, times: 1, mode: "late", delayMs: 1500 }));
        await h.run(FRIDAY_EVENING, { limits: { readMs: 2000 }, retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 1 } });
        assert.match(h.log(), /lease: not released \(Pulumi Cloud: DELETE .* did not answer within 1 s \(ETIMEDOUT; it may have landed\); not retried: it may still land\)/);
        assert.strictEqual(h.backend.apiCalls().filter((c) => c[0] === "DELETE").length, 1, "the delete was sent once");
        await until(() => tags()[LEASE_TAG] === undefined);
    });

    it("gives up on a hung AddStackTag within the read limit; the next run goes on", async () => {
        h.backend.edit((s) => s.failures.push({ command: "api AddStackTag", key: LEASE_TAG, times: 1, mode: "hang" }));
        const started = Date.now();
        // Each request gets half the read limit, so that a retry fits in it; this run makes one attempt.
        const hung = await h.attempt(FRIDAY_EVENING, { limits: { readMs: 1000 } });
        assert.ok(hung instanceof CloudTagError, String(hung));
        assert.strictEqual(hung.message, "Pulumi Cloud: POST /api/stacks/intergalactic/intergalactic/dev/tags did not answer within 500 ms (ETIMEDOUT; it may have landed)");
        assert.ok(Date.now() - started < 8000, `gave up after ${Date.now() - started} ms`);
        assert.strictEqual(tags()[LEASE_TAG], undefined);
        assert.deepStrictEqual(h.backend.mutations(), ["up"]);

        await h.run(FRIDAY_EVENING);
        await h.run(MONDAY);
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M1" });
    });

    it("gives up on the whole step within the read limit when AddStackTag hangs on every try, and stops the request", async () => {
        h.backend.edit((s) => s.failures.push({ command: "api AddStackTag", key: LEASE_TAG, times: 5, mode: "hang" }));
        const hung = await h.attempt(FRIDAY_EVENING, { limits: { readMs: 1000 }, retry: { attempts: 5, baseDelayMs: 200, maxDelayMs: 200 } });
        assert.ok(hung instanceof TimeoutError, String(hung));
        assert.match(hung.message, /^taking the stack's lease: pulumi did not answer within 1 s; the write pulumi was making was stopped/);
        assert.strictEqual(tags()[LEASE_TAG], undefined);
        assert.deepStrictEqual(h.backend.mutations(), ["up"]);
    });

    it("holds the lease when the answer to its AddStackTag was lost and the retry finds its own lease", async () => {
        h.backend.edit((s) => s.failures.push({ command: "api AddStackTag", key: LEASE_TAG, times: 1, mode: "landed" }));
        await h.run(FRIDAY_EVENING, { limits: { readMs: 2000 }, retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 } });
        assert.match(h.log(), /lease: Pulumi Cloud: POST .*did not answer within 1 s \(ETIMEDOUT; it may have landed\); retrying/);
        assert.strictEqual(h.backend.read().stacks.dev.resources.length, 0, "the teardown ran");
        assert.strictEqual(tags()[LEASE_TAG], undefined);
    });

    it("retries an AddStackTag that answered 503 and goes on; one that keeps failing stops the run with the server's message", async () => {
        h.backend.edit((s) => s.failures.push({ command: "api AddStackTag", key: LEASE_TAG, times: 1, mode: "fail", status: 503, stderr: "Service Unavailable" }));
        await h.run(FRIDAY_EVENING, { retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 } });
        assert.match(h.log(), /lease: Pulumi Cloud: POST \/api\/stacks\/intergalactic\/intergalactic\/dev\/tags: \[503\] Service Unavailable; retrying/);
        assert.strictEqual(h.backend.read().stacks.dev.resources.length, 0);

        h.backend.edit((s) => s.failures.push({ command: "api AddStackTag", key: LEASE_TAG, times: 2, mode: "fail", status: 502, stderr: "Bad Gateway" }));
        const failed = await h.attempt(MONDAY, { retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 } });
        assert.match(String(failed), /POST \/api\/stacks\/intergalactic\/intergalactic\/dev\/tags: \[502\] Bad Gateway \(after 2 attempts\)/);
        assert.deepStrictEqual(h.backend.mutations(), ["up", "up", "destroy"], "Monday's spin-up never started");
    });

    it("withdraws a lease whose AddStackTag landed and then never answered, so the next run need not wait for it", async () => {
        h.backend.edit((s) => s.failures.push({ command: "api AddStackTag", key: LEASE_TAG, times: 1, mode: "landed" }));
        const hung = await h.attempt(FRIDAY_EVENING, { limits: { readMs: 1000 } });
        assert.ok(hung instanceof CloudTagError, String(hung));
        assert.match(hung.message, /did not answer within 500 ms \(ETIMEDOUT; it may have landed\)/);
        assert.match(h.log(), /lease: this run's lease had landed before the run gave up on it; withdrawn/);
        assert.strictEqual(tags()[LEASE_TAG], undefined);
        // A lease left behind would be held by this (live) test process: the next run would stop.
        await h.run(FRIDAY_EVENING);
        await h.run(MONDAY);
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M1" });
    });

    it("sends its requests through the proxy HTTP_PROXY names, as the CLI does, and not when NO_PROXY names the host", async () => {
        // A forward proxy as corporate networks run one: undici's ProxyAgent tunnels through CONNECT.
        const seen: string[] = [];
        const proxy = http.createServer((_req, res) => res.writeHead(405).end());
        proxy.on("connect", (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
            seen.push(req.url ?? "");
            const [host, port] = (req.url ?? "").split(":");
            const upstream = net.connect(Number(port), host, () => {
                client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
                upstream.write(head);
                upstream.pipe(client).on("error", () => undefined);
                client.pipe(upstream).on("error", () => undefined);
            });
            upstream.on("error", () => client.destroy());
            client.on("error", () => upstream.destroy());
        });
        await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
        const url = `http://127.0.0.1:${(proxy.address() as net.AddressInfo).port}`;
        try {
            await h.run(FRIDAY_EVENING, { envVars: { ...h.backend.envVars, HTTP_PROXY: url } });
            const api = new URL(h.backend.apiUrl()).host;
            assert.ok(seen.length > 0 && seen.every((s) => s === api), `the proxy saw ${JSON.stringify(seen)}`);
            assert.strictEqual(h.backend.read().stacks.dev.resources.length, 0, "the teardown ran");

            seen.length = 0;
            await h.run(MONDAY, { envVars: { ...h.backend.envVars, HTTP_PROXY: url, NO_PROXY: "127.0.0.1" } });
            assert.deepStrictEqual(seen, [], "NO_PROXY names the API's host");
            assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M1" });
        } finally {
            proxy.closeAllConnections();
            proxy.close();
        }
    });

    it("tries an AddStackTag again when its 400 is followed by a read without the tag (removed meanwhile), and reads a GetStack 404 as an error, not as no tags", async () => {
        h.backend.edit((s) => s.failures.push(
            { command: "api AddStackTag", key: LEASE_TAG, times: 1, mode: "fail", status: 400, stderr: `stack tag "${LEASE_TAG}" already exists` },
        ));
        await h.run(FRIDAY_EVENING);
        assert.strictEqual(h.backend.apiCalls().filter((c) => c[0] === "POST").length, 2);
        assert.strictEqual(h.backend.read().stacks.dev.resources.length, 0, "the teardown ran");

        // The release's read answers 404: the lease is not taken for someone else's and silently left.
        h.backend.edit((s) => s.failures.push({ command: "api GetStack", times: 1, mode: "fail", status: 404, stderr: "Stack 'intergalactic/intergalactic/dev' not found" }));
        await h.run(MONDAY);
        assert.match(h.log(), /lease: not released \(Pulumi Cloud: GET \/api\/stacks\/intergalactic\/intergalactic\/dev: \[404\] Stack 'intergalactic\/intergalactic\/dev' not found \(is http:\/\/127\.0\.0\.1:\d+ this stack's backend\?\)\)/);
    });

    it("retries an AddStackTag whose kept-alive connection the other side closed (undici's UND_ERR_SOCKET)", async () => {
        h.backend.edit((s) => s.failures.push({ command: "api AddStackTag", key: LEASE_TAG, times: 1, mode: "drop" }));
        await h.run(FRIDAY_EVENING, { retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 } });
        assert.match(h.log(), /lease: Pulumi Cloud: POST \S+ failed: fetch failed: UND_ERR_SOCKET: other side closed; retrying/);
        assert.strictEqual(h.backend.read().stacks.dev.resources.length, 0, "the teardown ran");
    });

    it("names the token's source when Pulumi Cloud refuses it, Pulumi Deployments' injected token included", async () => {
        const err = await h.attempt(FRIDAY_EVENING, { envVars: { ...h.backend.envVars, PULUMI_ACCESS_TOKEN: "pul-not-the-fake" } });
        assert.ok(err instanceof CloudTagError, String(err));
        assert.match(err.message, /: \[401\] Unauthorized: .*; check PULUMI_ACCESS_TOKEN \(in Pulumi Deployments, the token it injects for the deployment's stack\)$/);
        assert.deepStrictEqual(h.backend.mutations(), ["up"]);
    });

    it("never uses this machine's PULUMI_ACCESS_TOKEN, PULUMI_BACKEND_URL or credentials", async () => {
        const saved = { ...process.env };
        Object.assign(process.env, { PULUMI_ACCESS_TOKEN: "pul-not-the-fake", PULUMI_BACKEND_URL: "http://127.0.0.1:1", PULUMI_CREDENTIALS_PATH: os.tmpdir() });
        try {
            await h.run(FRIDAY_EVENING);
        } finally {
            for (const k of ["PULUMI_ACCESS_TOKEN", "PULUMI_BACKEND_URL", "PULUMI_CREDENTIALS_PATH"]) {
                if (saved[k] === undefined) delete process.env[k];
                else process.env[k] = saved[k];
            }
        }
        assert.strictEqual(h.backend.read().stacks.dev.resources.length, 0, "the teardown ran");
    });

    it("says in one sentence that Pulumi Cloud's API needs PULUMI_ACCESS_TOKEN when no token is found, before any change", async () => {
        const home = fs.mkdtempSync(path.join(os.tmpdir(), "no-credentials-"));
        try {
            const err = await h.attempt(FRIDAY_EVENING, { envVars: { PULUMI_HOME: home, PULUMI_ACCESS_TOKEN: "", PULUMI_BACKEND_URL: h.backend.apiUrl() } });
            assert.ok(err instanceof PulumiUnavailableError, String(err));
            assert.strictEqual(err.message, "the stack's lease on Pulumi Cloud is taken through its REST API, which needs an access token: " +
                `set PULUMI_ACCESS_TOKEN (no credentials file)`);
            assert.deepStrictEqual(h.backend.mutations(), ["up"]);
            assert.deepStrictEqual(h.backend.apiCalls(), []);
        } finally {
            fs.rmSync(home, { recursive: true, force: true });
        }
    });

    it("shows the clobber the strict lease avoids: the CLI's `stack tag set` writes back the whole map it read", async () => {
        h.backend.edit((s) => s.failures.push({ command: "stack tag set", key: "team", times: 1, mode: "late", delayMs: 1000 }));
        const slow = h.person("stack", "tag", "set", "team", "cookies");
        await until(() => h.backend.calls().some((c) => c[3] === "team"));
        await h.person("stack", "tag", "set", "owner", "ci");
        assert.strictEqual(tags().owner, "ci");
        await slow;
        assert.deepStrictEqual([tags().team, tags().owner], ["cookies", undefined], "the slow write put back the map it read");
    });
});

describe("how requests reach Pulumi Cloud's API", () => {
    // A certificate no CA signed (testing/fake/tls, made with `openssl req -x509 -newkey rsa:2048 -nodes -days 36500
    // -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1`; its key protects nothing), as a self-hosted
    // Pulumi Cloud that `pulumi login --insecure` reaches.
    const tls = path.join(__dirname, "testing", "fake", "tls");
    let server: https.Server;
    let api: string;
    let home: string;
    before(async () => {
        server = https.createServer({ key: fs.readFileSync(path.join(tls, "localhost.key")), cert: fs.readFileSync(path.join(tls, "localhost.crt")) },
            (_req, res) => res.writeHead(200, { "Content-Type": "application/json" }).end("{}"));
        await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
        api = `https://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
        home = fs.mkdtempSync(path.join(os.tmpdir(), "insecure-login-"));
    });
    after(() => {
        server.closeAllConnections();
        server.close();
        fs.rmSync(home, { recursive: true, force: true });
    });
    const login = (account: Record<string, unknown>) => fs.writeFileSync(path.join(home, "credentials.json"), JSON.stringify({ current: api, accounts: { [api]: { accessToken: "t", ...account } } }));
    const get = (env: Record<string, string>) => fetch(api, { dispatcher: dispatcherFor(api, { PULUMI_HOME: home, ...env }) }).then((r) => r.status);

    it("skips TLS verification only for an account `pulumi login --insecure` recorded (credentials.json accounts[url].insecure)", async () => {
        login({ insecure: true });
        assert.strictEqual(await get({}), 200);
        login({});
        await assert.rejects(get({}), (err: Error & { cause?: { code?: string } }) => err.cause?.code === "DEPTH_ZERO_SELF_SIGNED_CERT");
        login({ insecure: true });
        assert.strictEqual(await get({ HTTPS_PROXY: "http://127.0.0.1:1", NO_PROXY: "127.0.0.1" }), 200, "nor through a proxy's NO_PROXY exception");
    });
});

describe("Pulumi Cloud's API URL", () => {
    const none = () => ({});
    it("is https://api.pulumi.com for app.pulumi.com, as the CLI derives the console's URL from it; a self-managed backend has none", () => {
        assert.strictEqual(cloudApiUrl("https://app.pulumi.com/ci", none), "https://api.pulumi.com");
        assert.strictEqual(cloudApiUrl("https://app.pulumi.example.com/ci", none), "https://api.pulumi.example.com");
        assert.strictEqual(cloudApiUrl("http://localhost:3000/ci", none), "http://localhost:8080");
        for (const url of ["s3://state-bucket", "azblob://state", "gs://state", "file://~", "file:///var/pulumi"]) {
            assert.strictEqual(cloudApiUrl(url, () => ({ backendUrl: "https://api.pulumi.com", current: "https://api.pulumi.com" })), undefined, url);
        }
    });

    it("is PULUMI_BACKEND_URL, then whoami's console's api. host, then the URL the CLI last logged in to, and says how to give it when there is none", () => {
        assert.strictEqual(cloudApiUrl("https://app.pulumi.com/ci", () => ({ backendUrl: "https://pulumi-api.example.com/", current: "https://api.other.example.com" })), "https://pulumi-api.example.com");
        // `current` names another service than the one this run's CLI used (a project's backend.url): whoami's wins.
        assert.strictEqual(cloudApiUrl("https://app.pulumi.com/ci", () => ({ current: "https://pulumi-api.example.com" })), "https://api.pulumi.com");
        assert.strictEqual(cloudApiUrl("", () => ({ backendUrl: "", current: "https://pulumi-api.example.com/" })), "https://pulumi-api.example.com");
        assert.throws(() => cloudApiUrl("", () => ({ current: "file://~" })), /Pulumi Cloud's API URL cannot be told from `pulumi whoami`'s URL ""; set PULUMI_BACKEND_URL/);
    });
});
