/**
 * Test helper: a temp directory laid out as a Pulumi installation root whose
 * `bin/pulumi` is the fake CLI, with the fake backend's state beside it.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export interface FakeResource { urn: string; type: string }
export interface FakeStack {
    resources: FakeResource[];
    pending: { urn: string; type: string }[];
    lock: { owner: string; pid: number; since: string } | null;
    config: Record<string, unknown>;
    outputs: Record<string, unknown>;
    history: { kind: string; result: string; message: string; config: Record<string, { value: string }> }[];
    restoredFrom?: Record<string, string>;
}
export interface FakeState {
    version: string;
    stacks: Record<string, FakeStack>;
    program: { resources: FakeResource[]; dataStores: string[] };
    failures: { command: string; stderr: string; times: number; keep?: string[] }[];
    loggedIn?: boolean;
}

const urn = (type: string, name: string) => `urn:pulumi:dev::intergalactic::${type}::${name}`;
export const STACK_RESOURCE: FakeResource = { urn: urn("pulumi:pulumi:Stack", "intergalactic-dev"), type: "pulumi:pulumi:Stack" };
export const PROGRAM: FakeState["program"] = {
    resources: [
        { urn: urn("pulumi:providers:aws", "default"), type: "pulumi:providers:aws" },
        { urn: urn("aws:ec2/vpc:Vpc", "net-vpc"), type: "aws:ec2/vpc:Vpc" },
        { urn: urn("aws:rds/cluster:Cluster", "users-cluster"), type: "aws:rds/cluster:Cluster" },
    ],
    dataStores: ["users"],
};

export class FakeBackend {
    readonly root: string;
    readonly workDir: string;

    constructor() {
        this.root = fs.mkdtempSync(path.join(os.tmpdir(), "fake-pulumi-"));
        this.workDir = fs.mkdtempSync(path.join(os.tmpdir(), "scheduler-work-"));
        fs.mkdirSync(path.join(this.root, "bin"));
        const bin = path.join(this.root, "bin", "pulumi");
        fs.copyFileSync(path.join(__dirname, "fake-pulumi.js"), bin);
        fs.chmodSync(bin, 0o755);
        fs.writeFileSync(path.join(this.workDir, "Pulumi.yaml"), "name: intergalactic\nruntime: nodejs\n");
        this.write({
            version: "3.200.0",
            stacks: { dev: { resources: [], pending: [], lock: null, config: {}, outputs: {}, history: [] } },
            program: PROGRAM,
            failures: [],
        });
    }

    read(): FakeState {
        return JSON.parse(fs.readFileSync(path.join(this.root, "state.json"), "utf8"));
    }

    write(state: FakeState): void {
        fs.writeFileSync(path.join(this.root, "state.json"), JSON.stringify(state, null, 2));
    }

    /** Edits the state in place. */
    edit(change: (state: FakeState) => void): void {
        const state = this.read();
        change(state);
        this.write(state);
    }

    /** The stack as if a previous `up` succeeded. */
    markUp(stack = "dev"): void {
        this.edit((s) => {
            s.stacks[stack].resources = [STACK_RESOURCE, ...s.program.resources];
            s.stacks[stack].history.push({ kind: "update", result: "succeeded", message: "", config: {} });
        });
    }

    /** Every CLI call so far, as argument lists. */
    calls(): string[][] {
        const file = path.join(this.root, "calls.log");
        if (!fs.existsSync(file)) return [];
        return fs.readFileSync(file, "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l));
    }

    /** The commands that change the stack (`up`, `destroy`, `refresh`, `cancel`), in order. */
    mutations(): string[] {
        return this.calls().map((c) => c[0]).filter((c) => ["up", "destroy", "refresh", "cancel"].includes(c));
    }

    cleanup(): void {
        fs.rmSync(this.root, { recursive: true, force: true });
        fs.rmSync(this.workDir, { recursive: true, force: true });
    }
}
