/**
 * The Pulumi SDK's own floor under mocks, with no project code: a program of `--resources N`
 * trivial custom resources (ten short string inputs each, each depending on the one before in
 * its group through an Output, one component per fifty, as a stack has few), registered through the SDK under
 * `--monitor sdk` (the SDK's own mock monitor, mocks returning the inputs) or `--monitor plan`
 * (this project's engine: its monitor, recorder and plan mocks). Run by `npm run bench --
 * --sdk-floor` in a fresh process per measurement, so its start-up and peak memory are its own;
 * prints one JSON line. With `--policy <resource policies>,<stack policies>` (and `--monitor plan`),
 * the plan is then given to the offline policy run with a pack of as many policies that do nothing
 * (noopPack.ts), as the bench worker's `--policy` does with the project's pack: the policy run's floor.
 *
 * It answers the question the bench cannot: how much of a plan's time and memory is the SDK's
 * registration itself, which no change in this project can remove.
 */
import { performance } from "perf_hooks";
import * as pulumi from "@pulumi/pulumi";
import type { Plan } from "../../engine/format";
import type { PolicySession } from "../../policies/runner/session";
import { runChild } from "./child";

class Thing extends pulumi.CustomResource {
    constructor(name: string, props: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) {
        super("floor:index:Thing", name, props, opts);
    }
}

class Group extends pulumi.ComponentResource {
    constructor(name: string) {
        super("floor:index:Group", name);
    }
    done(): void {
        this.registerOutputs({});
    }
}

/** The program: `count` custom resources, in groups of fifty under a component. */
export function floorProgram(count: number): () => Promise<Record<string, unknown>> {
    return async () => {
        let group: Group | undefined;
        let previous: Thing | undefined;
        for (let i = 0; i < count; i++) {
            if (i % 50 === 0) {
                group?.done();
                group = new Group(`group-${i / 50}`);
                previous = undefined;
            }
            const inputs: Record<string, pulumi.Input<string>> = {};
            for (let k = 0; k < 10; k++) inputs[`field${k}`] = `value-${i}-${k}-abcdefghijklmnopqrstuvwxyz`;
            if (previous) inputs.ref = previous.id;
            previous = new Thing(`thing-${i}`, inputs, { parent: group });
        }
        group?.done();
        return {};
    };
}

async function main(argv: string[]): Promise<Record<string, unknown>> {
    const at = (flag: string) => argv[argv.indexOf(flag) + 1];
    const count = Number(at("--resources"));
    const monitor = argv.includes("--monitor") ? at("--monitor") : "sdk";
    const program = floorProgram(count);
    const started = performance.now();
    const cpu = process.cpuUsage();
    let policy: { policyMs: number; policyCpuMs: number } | undefined;
    if (monitor === "plan") {
        const { runPlan } = require("../../engine/runPlan") as typeof import("../../engine/runPlan");
        // Opened before the plan, as the bench worker opens the project's pack.
        const opening = argv.includes("--policy") ? openNoopSession(at("--policy")) : undefined;
        const plan = await runPlan({ project: "floor", stack: "floor", config: {}, program });
        if (opening) policy = await noopPolicyRun(await opening, plan);
    } else {
        await pulumi.runtime.setMocks({
            newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }),
            call: (args) => args.inputs,
        }, "floor", "floor", false);
        await pulumi.runtime.runInPulumiStack(program);
        await (require("@pulumi/pulumi/runtime/settings").waitForRPCs as () => Promise<void>)();
    }
    const used = process.cpuUsage(cpu);
    return { resources: count, monitor, startupMs: started, planMs: performance.now() - started, planCpuMs: (used.user + used.system) / 1000, peakMiB: process.resourceUsage().maxRSS / 1024, ...policy };
}

/** The policy session over a pack of `<resource>,<stack>` policies that do nothing. */
function openNoopSession(counts: string): Promise<PolicySession> {
    const [resourcePolicies, stackPolicies] = counts.split(",").map(Number);
    if (![resourcePolicies, stackPolicies].every((n) => Number.isInteger(n) && n >= 0)) throw new Error(`--policy ${counts}: give <resource policies>,<stack policies>`);
    const { writeNoopPack } = require("./noopPack") as typeof import("./noopPack");
    const { PolicySession: Session } = require("../../policies/runner/session") as typeof import("../../policies/runner/session");
    const pack = writeNoopPack(resourcePolicies, stackPolicies);
    return Session.open({ program: pack, cwd: pack });
}

async function noopPolicyRun(session: PolicySession, plan: Plan): Promise<{ policyMs: number; policyCpuMs: number }> {
    const started = performance.now();
    const cpu = process.cpuUsage();
    await session.configure({});
    const result = await session.run(plan);
    if (result.findings.length > 0) throw new Error(`policies that do nothing reported ${result.findings.length} finding(s)`);
    const used = process.cpuUsage(cpu);
    return { policyMs: performance.now() - started, policyCpuMs: (used.user + used.system) / 1000 };
}

if (require.main === module) runChild(main);
