import * as assert from "assert";
import { EventEmitter } from "events";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";
import { parseArgs, runCli, stopOnSignals } from "./cli";
import { FakeBackend } from "./testing/fakeBackend";
import { stackNames } from "../engine/testing/plan";

const NO_CLI = ["--pulumi-root", path.join(__dirname, "no-such-pulumi")];

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, (l) => out.push(l), (l) => err.push(l));
    return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("npm run schedule", function () {
    this.timeout(120_000); // --report plans the stack to price it

    it("says a dry run on Saturday 28 November would tear dev down, without a pulumi CLI", async () => {
        const { code, out } = await run("--stack", "dev", "--now", "2026-11-28T10:00:00Z", "--dry-run", ...NO_CLI);
        assert.strictEqual(code, 0);
        assert.match(out, /at Sat 2026-11-28 11:00 Europe\/Berlin \(UTC\+01:00\) it should be down: Saturday is not a working day/);
        assert.match(out, /dry run: state not probed .*; assuming it is not yet down/);
        assert.match(out, /dry run: would tear down \(pulumi destroy\) unless the stack is already down/);
    });

    it("says a dry run at 06:30Z on Monday 30 November would spin dev up", async () => {
        const { code, out } = await run("--stack", "dev", "--now", "2026-11-30T06:30:00Z", "--dry-run", ...NO_CLI);
        assert.strictEqual(code, 0);
        assert.match(out, /it should be up: Monday 07:30 is inside the working hours 07:00-19:00/);
        assert.match(out, /dry run: would spin up \(pulumi up\)/);
    });

    it("refuses the prod stacks with exit code 2 and the reason", async () => {
        for (const stack of stackNames(undefined, "prod")) {
            const { code, err } = await run("--stack", stack, "--now", "2026-11-30T06:30:00Z", "--dry-run", ...NO_CLI);
            assert.strictEqual(code, 2);
            assert.match(err, new RegExp(`refusing stack ${stack}: its environment is prod`));
        }
        assert.strictEqual((await run("--stack", "prod", "--report")).code, 2);
    });

    it("prints the cost report and the UTC cron entries", async () => {
        const { code, out } = await run("--stack", "dev", "--report", "--cron", "--now", "2026-11-23T00:00:00Z");
        assert.strictEqual(code, 0);
        // Up from the spin-up's lead (predicted 32m 02s + 15 min margin -> 50 min before 07:00) to 19:00.
        assert.match(out, /each spin-up starting 50 min before 07:00\.\nUp 64\.2 h per week of 168 h; saves 103\.8 h, 61\.8% of always-on hours\./);
        assert.match(out, /10 5 \* \* 1-5 +spin-up +\(right while the zone is at UTC\+01:00\)/);
        assert.match(out, /Mon 2026-11-23 07:00 Europe\/Berlin \(UTC\+01:00\): spin-up starts 06:10, predicted ready 06:42/);
        assert.match(out, /0 17 \* \* 1-5 +teardown +\(right while the zone is at UTC\+02:00\)/);
        assert.match(out, /Cost per week \(on-demand list prices of us-east-1, read \d{4}-\d{2}-\d{2};[^\n]*\n +always on: +\$\d+\.\d\d[^\n]*\n +schedule, full teardown: +\$\d+\.\d\d[^\n]*\n +schedule, hibernation: /);
    });

    it("emits Pulumi Deployments settings and schedules that run the reconciler", async () => {
        const { code, out } = await run("--stack", "dev", "--deployments", "acme", "https://github.com/acme/infra.git", "--now", "2026-11-23T00:00:00Z");
        assert.strictEqual(code, 0);
        const emitted = JSON.parse(out);
        assert.deepStrictEqual(emitted.deploymentSettings.preRunCommands, ["npm ci --no-audit --no-fund", "npm run schedule -- --stack dev"]);
        assert.deepStrictEqual(emitted.deploymentSchedules.map((s: { scheduleCron: string }) => s.scheduleCron),
            ["10 5 * * 1-5", "0 18 * * 1-5", "10 4 * * 1-5", "0 17 * * 1-5"]);
    });

    it("reads a person's restore choices: several stores in one value, a point in time, a retained key, an empty start", () => {
        const o = parseArgs(["--stack", "dev", "--restore", "users=users-td-20261127t1800z cache=empty", "--restore-key", "users=arn:aws:kms:us-east-1:111122223333:key/u"]);
        assert.deepStrictEqual(o.restore, {
            users: { id: "users-td-20261127t1800z", config: { "intergalactic:snapshots.encryptionKeys.users": "arn:aws:kms:us-east-1:111122223333:key/u" } },
            cache: { id: "", config: {} },
        });
        const account = "/subscriptions/s/providers/Microsoft.DocumentDB/locations/westeurope/restorableDatabaseAccounts/abc";
        assert.deepStrictEqual(parseArgs(["--stack", "dev", "--restore", `users=${account}@2026-11-27T18:00:00+01:00`]).restore,
            { users: { id: account, config: { "intergalactic:mongo.restoreTimestampUtc": "2026-11-27T17:00:00.000Z" } } });
        assert.throws(() => parseArgs(["--stack", "dev", "--restore", "users"]), /--restore users must be <store>=<snapshot id>/);
        assert.throws(() => parseArgs(["--stack", "dev", "--restore", "users=x@yesterday"]), /yesterday must be an ISO 8601 instant/);
        assert.throws(() => parseArgs(["--stack", "dev", "--restore-key", "users=arn:aws:kms:x"]), /give --restore users=<snapshot id> too/);
    });

    it("rejects bad options and unknown stacks with exit code 1", async () => {
        assert.throws(() => parseArgs([]), /missing --stack <name>/);
        assert.throws(() => parseArgs(["--stack", "dev", "--now", "2026-11-28 10:00"]), /--now 2026-11-28 10:00 must be an ISO 8601 instant/);
        assert.throws(() => parseArgs(["--stack", "dev", "--frobnicate"]), /unknown option --frobnicate/);
        assert.throws(() => parseArgs(["--stack", "dev", "--stale-lock-minutes", "1"]), /--stale-lock-minutes must be a whole number of minutes >= 100/);
        const unknown = await run("--stack", "qa", "--dry-run");
        assert.strictEqual(unknown.code, 1);
        assert.match(unknown.err, /schedule failed: unknown stack "qa"/);
    });
    it("reads when the CI job started, and refuses a start in the future", () => {
        const clock = () => new Date("2026-11-30T05:20:00Z");
        assert.strictEqual(parseArgs(["--stack", "dev", "--job-started-at", "2026-11-30T05:10:07Z"], clock).jobStartedAt?.toISOString(), "2026-11-30T05:10:07.000Z");
        assert.strictEqual(parseArgs(["--stack", "dev"], clock).jobStartedAt, undefined);
        assert.throws(() => parseArgs(["--stack", "dev", "--job-started-at", "05:10"], clock), /--job-started-at 05:10 must be an ISO 8601 instant/);
        assert.throws(() => parseArgs(["--stack", "dev", "--job-started-at", "2026-11-30T06:10:00Z"], clock), /is in the future; give the time the CI job started/);
    });

    it("turns SIGINT and SIGTERM into a stop of the run instead of an exit, a second one into a hurry, and lets go of the signals afterwards", () => {
        const source = new EventEmitter();
        const said: string[] = [];
        const stop = stopOnSignals(source, (l) => said.push(l), false);
        assert.strictEqual(stop.signal.aborted, false);
        source.emit("SIGINT");
        assert.strictEqual(stop.signal.aborted, true);
        assert.deepStrictEqual(stop.signal.reason, { signal: "SIGINT", childHasIt: false });
        assert.strictEqual(stop.hurry.aborted, false);
        source.emit("SIGTERM");
        assert.deepStrictEqual(stop.signal.reason, { signal: "SIGINT", childHasIt: false }, "the first signal decides");
        assert.strictEqual(stop.hurry.aborted, true, "the runner's SIGTERM comes 2.5 s before its kill");
        assert.match(said.join("\n"), /SIGINT received; stopping(.|\n)*SIGTERM received again; releasing the lease and exiting now/);
        stop.dispose();
        assert.strictEqual(source.listenerCount("SIGINT") + source.listenerCount("SIGTERM"), 0);
        // A terminal's Ctrl-C reaches Pulumi too (the whole process group): it must not get a second SIGINT.
        const terminal = new EventEmitter();
        const fromTerminal = stopOnSignals(terminal, () => undefined, true);
        terminal.emit("SIGINT");
        assert.deepStrictEqual(fromTerminal.signal.reason, { signal: "SIGINT", childHasIt: true });
        fromTerminal.dispose();
    });

    it("says in one sentence, exit 1, that no Pulumi CLI is on PATH or that it is not logged in", async () => {
        const empty = fs.mkdtempSync(path.join(os.tmpdir(), "no-pulumi-"));
        const saved = process.env.PATH;
        process.env.PATH = empty;
        let missing: Awaited<ReturnType<typeof run>>;
        try {
            missing = await run("--stack", "dev", "--now", "2026-11-30T06:30:00Z");
        } finally {
            process.env.PATH = saved;
            fs.rmSync(empty, { recursive: true, force: true });
        }
        assert.strictEqual(missing.code, 1);
        assert.strictEqual(missing.err, "schedule failed: the Pulumi CLI cannot run (`pulumi` on PATH: it is not installed); install it (the workflow's pulumi/actions step) or pass --pulumi-root <dir with bin/pulumi>");

        const backend = new FakeBackend();
        try {
            backend.edit((s) => void (s.loggedIn = false));
            const loggedOut = await run("--stack", "dev", "--now", "2026-11-30T06:30:00Z", "--pulumi-root", backend.root);
            assert.strictEqual(loggedOut.code, 1);
            assert.strictEqual(loggedOut.err, "schedule failed: the Pulumi CLI is not logged in to a backend (error: PULUMI_ACCESS_TOKEN must be set for login during non-interactive CLI sessions); set PULUMI_ACCESS_TOKEN or run `pulumi login` first");
            assert.deepStrictEqual(backend.calls().map((c) => c[0]), ["version", "whoami"], "nothing else ran");
        } finally {
            backend.cleanup();
        }
    });

    it("the workflow runs the reconciler as the step's entry process and gives it the job's start, taken before the installs", () => {
        const workflow = yaml.load(fs.readFileSync(path.join(__dirname, "..", ".github/workflows/dev-schedule.yml"), "utf8")) as
            { jobs: { reconcile: { steps: { name?: string; run?: string }[] } } };
        const steps = workflow.jobs.reconcile.steps;
        assert.match(steps[0].run ?? "", /JOB_STARTED_AT=\$\(date -u \+%Y-%m-%dT%H:%M:%SZ\)" >> "\$GITHUB_ENV"/);
        const reconcile = steps.find((s) => s.name === "Reconcile")?.run ?? "";
        assert.match(reconcile, /--job-started-at "\$JOB_STARTED_AT"/);
        // The runner signals only the step's entry process: the reconciler must be it, not bash or npm.
        assert.match(reconcile, /^exec node -r ts-node\/register\/transpile-only scheduler\/cli\.ts /);
    });
});
