/**
 * The prod stacks' regional stamps, planned on both clouds: every stamp complete and in its own
 * region, address spaces disjoint, and no name or identity moved when a region is added.
 */
import * as assert from "assert";
import { mustParseCidr, overlaps } from "../components/network/cidr";
import { Plan, PlannedResource } from "../engine/format";
import { planRegions, resourceRegions, stampPlan } from "../engine/regions";
import { runPlan } from "../engine/runPlan";
import { loadStackFiles } from "../engine/stackFiles";
import { stackPlan } from "../engine/testing/plan";
import { program } from "./program";
import * as path from "path";

/** A stack's plan without `intergalactic:regions`: the stack as it was before regions. */
async function planWithoutRegions(stack: string): Promise<Plan> {
    const files = loadStackFiles(path.resolve(__dirname, ".."), stack);
    const config = { ...files.config };
    delete config["intergalactic:regions"];
    return runPlan({ project: files.project, stack, config, program });
}

const STACKS = [
    { stack: "prod", cloud: "aws", regions: ["eu-west-1", "us-east-1"], third: "us-west-2", network: "aws:ec2/vpc:Vpc" },
    { stack: "prod-azure", cloud: "azure", regions: ["northeurope", "eastus2"], third: "westus2", network: "azure-native:network:VirtualNetwork" },
] as const;

/** The tiers every stamp has; the user database and the services live in the first stamp only (until they replicate). */
const STAMP_COMPONENTS = ["Vpc3Az", "BastionHost", "KubernetesCluster", "HaRedis", "KafkaQuorum"].map((c) => `intergalactic:index:${c}`);
const FIRST_STAMP_ONLY = ["intergalactic:index:HaMongo", "intergalactic:index:CookieServices"];

/** Resource types per count, of a stamp's resources outside the first-stamp-only components. */
function shape(plan: Plan): Record<string, number> {
    const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
    const inFirstOnly = (r: PlannedResource): boolean => {
        for (let p: PlannedResource | undefined = r; p; p = byUrn.get(p.parent)) if (FIRST_STAMP_ONLY.includes(p.type)) return true;
        return false;
    };
    const counts: Record<string, number> = {};
    for (const r of plan.resources) {
        if (inFirstOnly(r) || ["pulumi:pulumi:Stack", "pulumi:pulumi:StackReference"].includes(r.type) || r.type.startsWith("pulumi:providers:")) continue;
        // Azure: the managed ingress' read access to the services' certificate vault comes with the services.
        if (/-ingress-kv-/.test(r.name)) continue;
        counts[r.type] = (counts[r.type] ?? 0) + 1;
    }
    return counts;
}

/** What must not change for a resource to stay as deployed. */
const identity = (r: PlannedResource) => JSON.stringify({ type: r.type, name: r.name, parent: r.parent, inputs: r.inputs, options: r.options, dependencies: r.dependencies });

for (const { stack, cloud, regions, third, network } of STACKS) {
    describe(`the ${stack} stack's regional stamps`, function () {
        this.timeout(120_000);
        let plan: Plan;
        before(async () => {
            plan = await stackPlan(stack);
        });

        it(`has a stamp in each of ${regions.join(" and ")}, every one with the full set of tiers`, () => {
            assert.deepStrictEqual(planRegions(plan), ["", regions[1]]);
            for (const region of planRegions(plan)) {
                const stamp = stampPlan(plan, region);
                for (const type of STAMP_COMPONENTS) assert.strictEqual(stamp.resources.filter((r) => r.type === type).length, 1, `${region || regions[0]}: ${type}`);
            }
            const first = stampPlan(plan, "");
            for (const type of FIRST_STAMP_ONLY) assert.strictEqual(first.resources.filter((r) => r.type === type).length, 1, type);
        });

        it("builds the same resources in every stamp: same types, same counts", () => {
            assert.deepStrictEqual(shape(stampPlan(plan, regions[1])), shape(stampPlan(plan, "")));
        });

        it("creates every cloud resource of another region's stamp through that region's provider, and there only", () => {
            const provider = plan.resources.find((r) => r.type === `pulumi:providers:${cloud === "aws" ? "aws" : "azure-native"}`)!;
            assert.strictEqual(provider.name, `region-${regions[1]}`);
            const cloudResources = stampPlan(plan, regions[1]).resources.filter((r) => r.custom && /^(aws|azure-native):/.test(r.type));
            assert.ok(cloudResources.length > 40);
            for (const r of cloudResources) assert.ok(r.options.provider.startsWith(`${provider.urn}::`), `${r.type} ${r.name}`);
            // Nothing of the first region's stamp moved to an explicit provider: what is deployed keeps its own.
            for (const r of stampPlan(plan, "").resources.filter((r) => r.custom && /^(aws|azure-native):/.test(r.type))) assert.strictEqual(r.options.provider, "", r.name);
            if (cloud === "aws") {
                for (const r of cloudResources) if (typeof r.outputs.arn === "string" && !r.type.startsWith("aws:iam/")) assert.match(r.outputs.arn, new RegExp(`^arn:aws:[a-z0-9-]+:${regions[1]}:`), r.name);
                for (const subnet of cloudResources.filter((r) => r.type === "aws:ec2/subnet:Subnet")) assert.ok(String(subnet.inputs.availabilityZone).startsWith(regions[1]), subnet.name);
            } else {
                for (const r of cloudResources) if (typeof r.outputs.location === "string" && !/^global$/i.test(r.outputs.location)) assert.strictEqual(r.outputs.location, regions[1], r.name);
            }
        });

        it("gives the stamps disjoint address spaces", () => {
            const cidrs = plan.resources.filter((r) => r.type === network).map((r) => String(cloud === "aws" ? r.inputs.cidrBlock : (r.inputs.addressSpace as { addressPrefixes: string[] }).addressPrefixes[0]));
            assert.strictEqual(cidrs.length, 2);
            assert.ok(!overlaps(mustParseCidr(cidrs[0]), mustParseCidr(cidrs[1])), cidrs.join(" and "));
        });

        it("keeps every resource of the stack as it is planned without regions, and of two regions when a third is added", async () => {
            const single = await stackPlan(stack, { "intergalactic:regions": JSON.stringify([regions[0]]) });
            const before = await planWithoutRegions(stack);
            const three = await stackPlan(stack, { "intergalactic:regions": JSON.stringify([...regions, third]) });
            const ids = (p: Plan) => new Map(p.resources.filter((r) => r.type !== "pulumi:pulumi:Stack").map((r) => [r.urn, identity(r)]));
            for (const [smaller, larger, what] of [[before, single, "one listed region"], [single, plan, "two regions"], [plan, three, "three regions"]] as const) {
                const bigger = ids(larger);
                for (const [urn, id] of ids(smaller)) assert.strictEqual(bigger.get(urn), id, `${what}: ${urn}`);
                assert.ok(bigger.size >= ids(smaller).size);
            }
            assert.deepStrictEqual(planRegions(three), ["", regions[1], third]);
            assert.deepStrictEqual([...resourceRegions(three.resources).values()].filter((r) => r === third).length, [...resourceRegions(plan.resources).values()].filter((r) => r === regions[1]).length);
        });
    });
}
