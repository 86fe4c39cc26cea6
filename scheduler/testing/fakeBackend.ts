/**
 * Test helper: a temp directory laid out as a Pulumi installation root whose
 * `bin/pulumi` is the fake CLI (a bash shim served by fake/server.js in this
 * process), the fake backend and cloud beside it, and fresh working copies
 * ("checkouts") that hold only the committed stack file, as the workflow's
 * checkout does on every run. `backend: "cloud"` in the state gives Pulumi
 * Cloud's semantics (fake/backend.js).
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";
import type { SnapshotInventory } from "../inventory";

// The fake CLI is plain JavaScript: it began as a script the shim ran with node.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { shim, startServer } = require("./fake/server") as { shim: (root: string) => string; startServer: (root: string) => { close: () => void } };
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { startApi } = require("./fake/api") as { startApi: (root: string) => { url: () => string | undefined; close: () => void } };

export interface FakeResource {
    urn: string; type: string; id?: string; store?: string; finalSnapshot?: string; restoredFrom?: string; kmsKeyId?: string;
    /** The program leaves it out when `intergalactic:schedule.mode` is `hibernated` (a NAT gateway, the bastion). */
    hibernates?: boolean;
    /**
     * Protected in the state: "hibernated" by a hibernated `up` only (the ALB Ingress), "always" by every `up`.
     * A `--skip-preview` destroy deletes every other resource first and then fails on it (pulumi/pulumi#18396).
     */
    protect?: "hibernated" | "always";
    /** In the state: the `protect` of the last `up` that applied it. */
    protected?: boolean;
    /** A workload of the services: while it is in the state they write into the stack's dated Cosmos DB stores (fake/writers.js). */
    writes?: boolean;
    /** Its `metadata.annotations`, as the state's inputs show them. */
    annotations?: Record<string, string>;
    /** Its inputs: the program's, or in the state those of the last `up` that applied it; one that differs is an update. */
    inputs?: Record<string, unknown>;
    /**
     * An AKS user pool the hibernated plan stops: the program adds `powerState` `{ code: "Stopped" }` to its inputs when
     * hibernated, `Running` otherwise; an `up` that changes it together with another input fails (fake/cloud.js).
     */
    stops?: boolean;
}
export interface FakeLock { owner: string; pid: number; since: string; /** Pulumi Cloud: the update in progress. */ version?: number }
export interface FakeStack {
    resources: FakeResource[];
    pending: { urn: string; type: string }[];
    lock: FakeLock | null;
    outputs: Record<string, unknown>;
    history: { version: number; kind: string; result: string; message: string; config: Record<string, { value: string }>; startTime?: string; endTime?: string; writtenAt?: number }[];
    tags: Record<string, string>;
}
export interface FakeDataStore {
    name: string;
    type: string;
    dataType: string;
    finalSnapshot: boolean;
    /** A restore needs `intergalactic:snapshots.encryptionKeys.<name>` set to this (the retained key). */
    encryptionKeyArn?: string;
    /**
     * A Cosmos DB account's continuous backup tier, as its state's `backupPolicy.continuousModeProperties.tier` holds it
     * (what `intergalactic:mongo.backupRetentionDays` sets, mongoPlan.ts): a deleted account restores within 7 or 30 days.
     * @default none: 30 days, Azure's default tier
     */
    continuousTier?: "Continuous7Days" | "Continuous30Days";
}
export interface FakeFailure {
    /**
     * An operation; for "preempt" also `config rm`, `config set`, `stack export`, `stack tag set` and the like; for "hang", "late" and "landed"
     * also a write (`stack tag set`, `config set`, `cancel`); for "hang" and "slow" also a read (`whoami`, `stack tag ls`, `stack export`,
     * `stack history`, `stack output`, `stack` for `stack --show-name`: fake/readFault.js);
     * `api GetStack`, `api AddStackTag`, `api DeleteStackTag`: a request to the fake Pulumi Cloud API ("hang", "fail", "landed", "late", "drop"; fake/api.js).
     */
    command: "up" | "destroy" | "refresh" | "cancel" | "whoami" | "stack" | `config ${string}` | `stack ${string}` | `api ${string}`;
    /** "fail" of an `api` request: its status. @default 503 */
    status?: number;
    times: number;
    /**
     * "preempt": a person's `up` with main's config (no suffix: `<store>-final`) runs just before the call.
     * "quiet": a destroy whose engine events never reach the Automation API's `onEvent`.
     * "slow": a read that answers only `delayMs` after the call; "hang" of a read never answers (fake/readFault.js).
     */
    mode: "fail" | "crash" | "hang" | "delay" | "partial" | "preempt" | "quiet" | "late" | "landed" | "slow" | "drop";
    /**
     * A tag or config write's fault (`stack tag set`, `config set`, fake/writeFault.js): only the write of this
     * key; unset, any. "hang" never answers, "late" writes `delayMs` after the call; SIGINT or a kill stops either;
     * "landed" writes at once, then never answers until SIGINT or a kill.
     */
    key?: string;
    /** The preempting update's message. */
    message?: string;
    /** How far the preempting person's clock is off the real one (negative: behind); it dates their history entry. */
    clockSkewMs?: number;
    skip?: number;
    stderr?: string;
    /** URNs or store names a failed or crashed destroy leaves in place. */
    keep?: string[];
    /** The resource (URN or store name) a crash leaves pending. */
    pendingOn?: string;
    delayMs?: number;
    ignoreSigint?: boolean;
}
export interface FakeState {
    version: string;
    /** "diy" (default): a self-managed backend, lock files and history at the end of an update; "cloud": Pulumi Cloud, 409, updates in progress. */
    backend?: "diy" | "cloud";
    /** Pulumi Cloud: the organisation `--stack dev` resolves in (the user's default). @default "intergalactic" */
    organization?: string;
    loggedIn: boolean;
    stacks: Record<string, FakeStack>;
    program: { resources: FakeResource[]; dataStores: FakeDataStore[] };
    failures: FakeFailure[];
    /** A live store whose restore input changes is replaced (a provider without ignoreChanges on it). */
    replaceOnRestoreChange?: boolean;
    /** A final snapshot is deleted as soon as it is taken (a clean-up job outside the stack). */
    sweepSnapshots?: boolean;
    /**
     * Data-resource properties the program marks secret (`additionalSecretOutputs`): the state holds them as
     * secrets, `stack export --show-secrets` shows their plaintext, a step event masks them (fake/events.js).
     */
    secretProperties?: string[];
    /**
     * The CLI's machines keep the cloud's own time (`cloud.clock`): locks and history entries are dated by it, as
     * a runner and a laptop whose clocks agree with Azure's date theirs. Unset: the real clock (fake/backend.js).
     */
    cliOnCloudClock?: boolean;
    /** Cosmos DB outputs in ARM's spelling: display location, other casing, a trailing `/`. */
    armSpelling?: boolean;
    cloud: {
        serial: number;
        /** The cloud's own time (ISO), moved on by every CLI call, delete step and backup answer; unset: the real clock (fake/writers.js). */
        clock?: string;
        /** The services' last write (fake/writers.js). */
        lastWrite?: { store: string; at: string; marker: string };
        /** Every data store the cloud created, in order: what it was restored from and the marker it started with. */
        created?: { id: string; restoredFrom: string; marker: string }[];
        stores: Record<string, { name: string; marker: string; restoredFrom: string; writes?: DatedWrite[]; backedUpTo?: string }>;
        snapshots: Record<string, { store: string; marker: string; deletedAt?: string; restorableForDays?: number; stack?: string; from?: string; writes?: DatedWrite[] }>;
    };
}

/**
 * The versions the fake CLI can report, by how the Automation API then takes a command's engine events
 * (automation/stack.js setupEventLog): up to 3.205.0 it tails an `--event-log` file; above, it serves the gRPC
 * service `pulumirpc.Events` and passes its address as `--event-log tcp://127.0.0.1:<port>` (fake/events.js).
 */
export const CLI_VERSIONS = { file: "3.200.0", grpc: "3.248.0" } as const;

/** A Cosmos DB account: its deletion leaves a restorable account, restored to a point in time within 30 days. */
export const COSMOS = "azure-native:cosmosdb:DatabaseAccount";
/** A write into a Cosmos DB store at a time (continuousBackup.ts): its continuous backup holds it once `backedUpTo` passes `at`. */
export interface DatedWrite { at: string; marker: string }

/** A resource's URN in `stack` (by default `dev`, the AWS stack the fakes start from). */
export const urnIn = (stack: string, type: string, name: string) => `urn:pulumi:${stack}::intergalactic::${type}::${name}`;
const urn = (type: string, name: string) => urnIn("dev", type, name);
export const VPC = urn("aws:ec2/vpc:Vpc", "net-vpc");
export const PROGRAM: FakeState["program"] = {
    resources: [
        { urn: urn("pulumi:providers:aws", "default"), type: "pulumi:providers:aws" },
        { urn: VPC, type: "aws:ec2/vpc:Vpc" },
    ],
    dataStores: [{ name: "users", type: "intergalactic:index:HaMongo", dataType: "aws:docdb/cluster:Cluster", finalSnapshot: true }],
};
/** The network of a dev-azure-like stack, deleted last as the VPC is on AWS. */
export const vnetOf = (stack: string) => urnIn(stack, "azure-native:network:VirtualNetwork", "net-vnet");
/** The services' Deployment in `stack`: while it is in the state they write into its Cosmos DB stores (fake/writers.js). */
export const servicesOf = (stack: string) => urnIn(stack, "intergalactic:index:CookieServices$kubernetes:apps/v1:Deployment", "cookies-mixer-deployment");
/** A dev-azure-like program: its network, the services that write into the data, and HaMongo's Cosmos DB account keeping a continuous backup. */
export const azureProgram = (stack: string): FakeState["program"] => ({
    resources: [
        { urn: urnIn(stack, "pulumi:providers:azure-native", "default"), type: "pulumi:providers:azure-native" },
        { urn: vnetOf(stack), type: "azure-native:network:VirtualNetwork" },
        { urn: servicesOf(stack), type: "kubernetes:apps/v1:Deployment", writes: true },
    ],
    dataStores: [{ name: "users", type: "intergalactic:index:HaMongo", dataType: COSMOS, finalSnapshot: true }],
});
export const emptyStack = (): FakeStack => ({ resources: [], pending: [], lock: null, outputs: {}, history: [], tags: {} });

export class FakeBackend {
    readonly root: string;
    /** The first working copy; `checkout()` makes more. */
    readonly workDir: string;
    /** What `Pulumi.<stack>.yaml` holds in the repository: every checkout starts from it. */
    committed: Record<string, unknown> = { "intergalactic:environment": "dev" };
    private readonly checkouts: string[] = [];

    private readonly server: { close: () => void };
    /** The fake Pulumi Cloud REST API (fake/api.js) over the same tags. */
    private readonly api: { url: () => string | undefined; close: () => void };
    /**
     * What every run gives its workspace: PULUMI_HOME holds the CLI's credentials for the fake API (fake/api.js),
     * never the machine's (nor its token, backend URL or credentials path), and the machine's proxy is not used (cloudTags.ts reads these as the CLI does; "" is unset).
     */
    readonly envVars: Record<string, string>;

    /**
     * `stack`: the one stack the backend holds (`dev` unless given), its `program` what the fake `up` creates in it;
     * `project`: `name` in every checkout's Pulumi.yaml, the project a user's own working copy names.
     */
    constructor(backend: FakeState["backend"] = "diy", readonly stack = "dev", program: FakeState["program"] = PROGRAM, readonly project = "intergalactic") {
        this.root = fs.mkdtempSync(path.join(os.tmpdir(), "fake-pulumi-"));
        fs.mkdirSync(path.join(this.root, "bin"));
        this.write({
            // Its tags behave as from v3.211.0 (pulumi/pulumi#21203) whatever version it reports.
            version: CLI_VERSIONS.file, backend, loggedIn: true, stacks: { [stack]: emptyStack() }, program, failures: [],
            cloud: { serial: 0, stores: {}, snapshots: {} },
        });
        this.server = startServer(this.root);
        fs.mkdirSync(path.join(this.root, "home"));
        this.envVars = { PULUMI_HOME: path.join(this.root, "home"), PULUMI_CREDENTIALS_PATH: "", PULUMI_ACCESS_TOKEN: "", PULUMI_BACKEND_URL: "",
            ...Object.fromEntries(["HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY"].flatMap((k) => [[k, ""], [k.toLowerCase(), ""]])) };
        this.api = startApi(this.root);
        const bin = path.join(this.root, "bin", "pulumi");
        fs.writeFileSync(bin, shim(this.root));
        fs.chmodSync(bin, 0o755);
        this.workDir = this.checkout();
    }

    /** A fresh working copy: Pulumi.yaml and the committed stack file, nothing a previous run wrote. */
    checkout(): string {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scheduler-work-"));
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${this.project}
runtime: nodejs
`);
        fs.writeFileSync(path.join(dir, `Pulumi.${this.stack}.yaml`), yaml.dump({ config: this.committed }));
        this.checkouts.push(dir);
        return dir;
    }

    /** The config a working copy holds now. */
    config(workDir: string): Record<string, unknown> {
        return (yaml.load(fs.readFileSync(path.join(workDir, `Pulumi.${this.stack}.yaml`), "utf8")) as { config?: Record<string, unknown> }).config ?? {};
    }

    read(): FakeState {
        return JSON.parse(fs.readFileSync(path.join(this.root, "backend.json"), "utf8"));
    }

    write(state: FakeState): void {
        fs.writeFileSync(path.join(this.root, "backend.json"), JSON.stringify(state, null, 2));
    }

    /** Edits the state in place. */
    edit(change: (state: FakeState) => void): void {
        const state = this.read();
        change(state);
        this.write(state);
    }

    /** Runs the fake CLI as a person would, from `workDir` (a fresh checkout by default). */
    pulumi(args: string[], workDir = this.checkout()): Promise<{ code: number; stdout: string; stderr: string }> {
        return new Promise((resolve) => {
            execFile(path.join(this.root, "bin", "pulumi"), [...args, "--stack", this.stack], { cwd: workDir }, (err, stdout, stderr) => {
                resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
            });
        });
    }

    /** The stack as a person's first `pulumi up` left it, each data store holding `marker`. */
    async markUp(marker = "M1"): Promise<void> {
        const result = await this.pulumi(["up", "--yes", "--skip-preview", "--message", "first up by hand"]);
        if (result.code !== 0) throw new Error(`fake up failed: ${result.stderr}`);
        this.edit((s) => {
            for (const store of Object.values(s.cloud.stores)) store.marker = marker;
        });
    }

    /** Data store name -> the marker of the live store the state points at. */
    liveMarkers(): Record<string, string> {
        const s = this.read();
        return Object.fromEntries(s.stacks[this.stack].resources.filter((r) => r.store && s.cloud.stores[r.id ?? ""]).map((r) => [r.store!, s.cloud.stores[r.id!].marker]));
    }

    /** The config the newest `up` ran with (structured values parsed), as the history keeps it. */
    lastUpConfig(): Record<string, unknown> {
        const entry = this.read().stacks[this.stack].history.filter((h) => h.kind === "update").at(-1);
        const parse = (v: string) => {
            try {
                return JSON.parse(v);
            } catch {
                return v;
            }
        };
        return Object.fromEntries(Object.entries(entry?.config ?? {}).map(([k, v]) => [k, parse(v.value)]));
    }

    /**
     * The cloud's inventory of kept snapshots, as the scheduler lists it: by the stack and store each was
     * tagged with when its deletion took it. Snapshots a test wrote without a stack tag belong to the backend's stack.
     */
    inventory(): SnapshotInventory {
        return {
            list: async (stack, store) => Object.entries(this.read().cloud.snapshots)
                .filter(([, s]) => s.store === store && (s.stack ?? this.stack) === stack)
                .map(([id, s]) => {
                    const takenAt = new Date(s.deletedAt ?? 0);
                    const days = s.restorableForDays ?? 0;
                    const program = this.read().program.dataStores.find((d) => d.name === store);
                    const config: Record<string, string> = {};
                    if (program?.encryptionKeyArn) config[`intergalactic:snapshots.encryptionKeys.${store}`] = program.encryptionKeyArn;
                    if (days > 0) config["intergalactic:mongo.restoreTimestampUtc"] = takenAt.toISOString();
                    return { id, takenAt, from: s.from ?? "?", config, until: days > 0 ? new Date(takenAt.getTime() + days * 86_400_000).toISOString() : "" };
                }),
        };
    }

    /** Every CLI call so far, as argument lists. */
    calls(): string[][] {
        const file = path.join(this.root, "calls.log");
        if (!fs.existsSync(file)) return [];
        return fs.readFileSync(file, "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l));
    }

    /** The pids of this backend's CLI processes still running (Linux: each shim's command line names its path). */
    running(): number[] {
        const bin = path.join(this.root, "bin", "pulumi");
        return fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p)).filter((pid) => {
            try {
                return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").includes(bin);
            } catch {
                return false; // it ended while being read
            }
        }).map(Number);
    }

    /** The commands that change the stack (`up`, `destroy`, `refresh`, `cancel`), in order. */
    mutations(): string[] {
        return this.calls().map((c) => c[0]).filter((c) => ["up", "destroy", "refresh", "cancel"].includes(c));
    }

    /** Every call's start (its pid and arguments) and its process's end (its pid), in the order they happened (fake/server.js). */
    processes(): ({ start: number; args: string[] } | { end: number })[] {
        const file = path.join(this.root, "processes.log");
        if (!fs.existsSync(file)) return [];
        return fs.readFileSync(file, "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l));
    }

    /** The fake Pulumi Cloud API's URL (fake/api.js), once it listens. */
    apiUrl(): string {
        return this.api.url() ?? "";
    }

    /** The fake Pulumi Cloud API's requests so far: `[method, path, body?]`. */
    apiCalls(): unknown[][] {
        const file = path.join(this.root, "api.log");
        if (!fs.existsSync(file)) return [];
        return fs.readFileSync(file, "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l));
    }

    cleanup(): void {
        // A call left running (a hung read a run did not stop) would outlive the test.
        for (const pid of this.running()) {
            try {
                process.kill(pid, "SIGKILL");
            } catch {
                // It ended meanwhile.
            }
        }
        this.server.close();
        this.api.close();
        fs.rmSync(this.root, { recursive: true, force: true });
        for (const dir of this.checkouts) fs.rmSync(dir, { recursive: true, force: true });
    }
}
