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
import { stackNames, stackPlan } from "../engine/testing/plan";
import { program } from "./program";
import * as path from "path";

/** A stack's plan without `intergalactic:regions`: the stack as it was before regions. */
async function planWithoutRegions(stack: string): Promise<Plan> {
    const files = loadStackFiles(path.resolve(__dirname, ".."), stack);
    const config = { ...files.config, ...withRegions(stack, files.config["intergalactic:cloud"], []) };
    delete config["intergalactic:regions"];
    return runPlan({ project: files.project, stack, config, program });
}

/**
 * Config overrides listing `regions`: on AWS each other stamp's ALB takes a certificate of its own region
 * (`services.regionCertificateArns`, an error for a region without a stamp).
 */
function withRegions(stack: string, cloud: string, regions: readonly string[]): Record<string, string> {
    const files = loadStackFiles(path.resolve(__dirname, ".."), stack);
    const overrides: Record<string, string> = { "intergalactic:regions": JSON.stringify(regions) };
    if (cloud !== "aws") return overrides;
    // The global entry's hosted zone: only a stack of several regions has the entry.
    if (regions.length < 2) overrides["intergalactic:globalEntry"] = JSON.stringify({});
    const services = JSON.parse(files.config["intergalactic:services"]) as Record<string, unknown>;
    const configured = (services.regionCertificateArns ?? {}) as Record<string, string>;
    const arns = Object.fromEntries(regions.slice(1).map((r, i) => [r, configured[r] ?? `arn:aws:acm:${r}:123456789012:certificate/00000000-0000-4000-8000-00000000010${i}`]));
    if (regions.length > 1) services.regionCertificateArns = arns;
    else delete services.regionCertificateArns;
    return { ...overrides, "intergalactic:services": JSON.stringify(services) };
}

const STACKS = [
    { stack: "prod", cloud: "aws", regions: ["eu-west-1", "us-east-1"], third: "us-west-2", network: "aws:ec2/vpc:Vpc" },
    { stack: "prod-azure", cloud: "azure", regions: ["northeurope", "eastus2"], third: "westus2", network: "azure-native:network:VirtualNetwork" },
] as const;

/** The tiers every stamp has: every stamp serves. */
const STAMP_COMPONENTS = ["Vpc3Az", "BastionHost", "KubernetesCluster", "HaRedis", "KafkaQuorum", "CookieServices"].map((c) => `intergalactic:index:${c}`);
/** The user database: the primary and its copies differ by role (a global cluster, the account), compared on their own below. */
const USER_DATABASE = "intergalactic:index:HaMongo";
/** The global entry: one for all stamps (Route 53 and Front Door are global), counted with the first stamp. */
const GLOBAL_ENTRY = "intergalactic:index:GlobalEntry";

/** Resource types per count, of a stamp's resources outside the user database (looked up in the whole plan). */
/**
 * What joins the stamps' networks rather than belonging to one stamp: the peerings (requested in one stamp, accepted in
 * the other) and the routes through them, one set per pair of stamps (stacks/tiers/peering.ts).
 */
const joinsStamps = (r: PlannedResource): boolean => r.type.startsWith("aws:ec2/vpcPeeringConnection") || (r.type === "aws:ec2/route:Route" && r.inputs.vpcPeeringConnectionId !== undefined);

function shape(plan: Plan, whole: Plan): Record<string, number> {
    const byUrn = new Map(whole.resources.map((r) => [r.urn, r]));
    const inFirstOnly = (r: PlannedResource): boolean => {
        for (let p: PlannedResource | undefined = r; p; p = byUrn.get(p.parent)) if (p.type === USER_DATABASE || p.type === GLOBAL_ENTRY) return true;
        return false;
    };
    const counts: Record<string, number> = {};
    for (const r of plan.resources) {
        if (inFirstOnly(r) || joinsStamps(r) || ["pulumi:pulumi:Stack", "pulumi:pulumi:StackReference"].includes(r.type) || r.type.startsWith("pulumi:providers:")) continue;
        counts[r.type] = (counts[r.type] ?? 0) + 1;
    }
    return counts;
}

/** What must not change for a resource to stay as deployed. */
const identity = (r: PlannedResource) => JSON.stringify({ type: r.type, name: r.name, parent: r.parent, inputs: r.inputs, options: r.options, dependencies: r.dependencies });

/**
 * What adding a region may change in resources that exist, and why; nothing else may change. Each is an update in
 * place of a store that keeps its data, never a replacement.
 */
const ALLOWED_CHANGES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
    // The existing cluster becomes the global cluster's primary: the provider then reads back the global cluster's
    // id, which the program leaves unset (@pulumi/aws docdb.GlobalCluster, "New Global Cluster From Existing DB Cluster").
    // A new location of the account: an update of the live account (learn.microsoft.com/azure/cosmos-db/how-to-manage-database-account).
    "users-db": { inputs: "locations gains the new region, the existing ones unchanged" },
    // The lock goes after the new stamp's endpoint, so a destroy removes it first (hashicorp/terraform-provider-azurerm#17478).
    "users-lock": { dependencies: "gains the new stamp's endpoint" },
    // Behind the global entry (two regions and more), the Route 53 health check of the ALB's own name needs its path
    // served for any Host: an in-place update of the Ingress, its host rules unchanged (checked below).
    "cookies-ingress": { inputs: "gains the health path's rule without a host" },
    // With a global cluster the Secret takes the writer only once the up has checked it against the global cluster's
    // members (stacks/tiers/writerCheck.ts): it waits for the global cluster.
    "cookies-mongo-secret": { dependencies: "gains the global cluster, whose writer the up checks" },
    // Pods then reach another region across an inter-region peering, which carries at most 8500 bytes: the VPC CNI's
    // MTU comes down to it (stacks/tiers/cluster.ts), an in-place update of the add-on.
    "cluster-vpc-cni": { inputs: "configurationValues gains the peering's MTU" },
};

/** An Ingress' inputs without its rules that name no host. */
const hostRulesOnly = (r: PlannedResource) => {
    const spec = r.inputs.spec as { rules?: { host?: string }[] } | undefined;
    return { ...r.inputs, spec: spec && { ...spec, rules: (spec.rules ?? []).filter((rule) => rule.host !== undefined) } };
};

/** A Deployment's inputs without the writer's variables and the digest that covers the writer's host. */
const withoutWriter = (r: PlannedResource) => {
    const copy = JSON.parse(JSON.stringify(r.inputs));
    const template = copy.spec?.template;
    if (template?.metadata?.annotations) delete template.metadata.annotations["intergalactic.io/credentials-digest"];
    for (const c of template?.spec?.containers ?? []) c.env = (c.env ?? []).filter((e: { name: string }) => !/^MONGO_WRITER_/.test(e.name));
    return copy;
};

/** The fields of two plans of one resource that differ. */
function changedFields(a: PlannedResource, b: PlannedResource): string[] {
    return (["type", "name", "parent", "inputs", "options", "dependencies"] as const).filter((f) => JSON.stringify(a[f]) !== JSON.stringify(b[f]));
}

describe("the multi-region stack table", () => {
    it("names every multi-region stack the repository's stack files declare", () => {
        const multiRegion = stackNames(undefined, "prod");
        assert.deepStrictEqual(STACKS.map((s) => s.stack).sort(), [...multiRegion].sort());
    });
});

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
            // AWS: a DocumentDB cluster in every stamp (the primary, then its secondaries); Azure: the one account.
            const stores = planRegions(plan).map((region) => stampPlan(plan, region).resources.filter((r) => r.type === USER_DATABASE).length);
            assert.deepStrictEqual(stores, cloud === "aws" ? [1, 1] : [1, 0]);
        });

        it("builds the same resources in every stamp: same types, same counts", () => {
            assert.deepStrictEqual(shape(stampPlan(plan, regions[1]), plan), shape(stampPlan(plan, ""), plan));
        });

        it("creates every cloud resource of another region's stamp through that region's provider, and there only", () => {
            const provider = plan.resources.find((r) => r.type === `pulumi:providers:${cloud === "aws" ? "aws" : "azure-native"}`)!;
            assert.strictEqual(provider.name, `region-${regions[1]}`);
            const cloudResources = stampPlan(plan, regions[1]).resources.filter((r) => r.custom && /^(aws|azure-native):/.test(r.type));
            assert.ok(cloudResources.length > 40);
            // Azure: the user database's endpoint and DNS zone in this stamp's network belong to the account's component,
            // in the first stamp, and name their location and resource group themselves.
            const reachingIn = (r: PlannedResource) => cloud === "azure" && r.parent.endsWith("intergalactic:index:HaMongo::users");
            for (const r of cloudResources.filter((x) => !reachingIn(x))) assert.ok(r.options.provider.startsWith(`${provider.urn}::`), `${r.type} ${r.name}`);
            assert.deepStrictEqual(cloudResources.filter(reachingIn).map((r) => r.name).sort(), cloud === "azure"
                ? ["users-dns-eastus2", "users-dns-group-eastus2", "users-dns-link-eastus2", "users-endpoint-eastus2"] : []);
            // Nothing of the first region's stamp moved to an explicit provider: what is deployed keeps its own.
            for (const r of stampPlan(plan, "").resources.filter((r) => r.custom && /^(aws|azure-native):/.test(r.type))) assert.strictEqual(r.options.provider, "", r.name);
            if (cloud === "aws") {
                for (const r of cloudResources) if (typeof r.outputs.arn === "string" && !r.type.startsWith("aws:iam/")) assert.match(r.outputs.arn, new RegExp(`^arn:aws:[a-z0-9-]+:${regions[1]}:`), r.name);
                for (const subnet of cloudResources.filter((r) => r.type === "aws:ec2/subnet:Subnet")) assert.ok(String(subnet.inputs.availabilityZone).startsWith(regions[1]), subnet.name);
            } else {
                // (The mocks answer a location the resource does not name with the provider's.)
                for (const r of cloudResources) {
                    if (typeof r.outputs.location === "string" && !/^global$/i.test(r.outputs.location) && (!reachingIn(r) || r.inputs.location !== undefined)) assert.strictEqual(r.outputs.location, regions[1], r.name);
                }
            }
        });

        it("gives the stamps disjoint address spaces", () => {
            const cidrs = plan.resources.filter((r) => r.type === network).map((r) => String(cloud === "aws" ? r.inputs.cidrBlock : (r.inputs.addressSpace as { addressPrefixes: string[] }).addressPrefixes[0]));
            assert.strictEqual(cidrs.length, 2);
            assert.ok(!overlaps(mustParseCidr(cidrs[0]), mustParseCidr(cidrs[1])), cidrs.join(" and "));
        });

        it("keeps every resource of the stack as it is planned without regions, and of two regions when a third is added", async () => {
            const single = await stackPlan(stack, withRegions(stack, cloud, [regions[0]]));
            const before = await planWithoutRegions(stack);
            const three = await stackPlan(stack, withRegions(stack, cloud, [...regions, third]));
            const ids = (p: Plan) => new Map(p.resources.filter((r) => r.type !== "pulumi:pulumi:Stack").map((r) => [r.urn, r]));
            for (const [smaller, larger, what] of [[before, single, "one listed region"], [single, plan, "two regions"], [plan, three, "three regions"]] as const) {
                const bigger = ids(larger);
                for (const [urn, r] of ids(smaller)) {
                    const now = bigger.get(urn);
                    assert.ok(now, `${what}: ${urn} is gone`);
                    if (identity(now) === identity(r)) continue;
                    // Each private endpoint of the account is re-PUT when its locations change, or it never gets the new
                    // region's address (learn.microsoft.com/azure/cosmos-db/how-to-configure-private-endpoints): only its
                    // locations tag changes, an in-place update.
                    const accountEndpoint = r.type === "azure-native:network:PrivateEndpoint" && /^users-endpoint/.test(r.name);
                    // A user database cluster admits the new stamp's app subnets across the peering: a rule of its own, the
                    // local clients' rule unchanged (an in-place update of the group, stacks/tiers/peering.ts).
                    const peeredGroup = r.type === "aws:ec2/securityGroup:SecurityGroup" && /^users(-[a-z0-9]+)?-sg$/.test(r.name);
                    if (peeredGroup) {
                        const [before, after] = [r, now].map((x) => x.inputs.ingress as unknown[]);
                        assert.deepStrictEqual(after[0], before[0], `${what}: ${urn} keeps its local clients' rule`);
                        assert.deepStrictEqual({ ...now.inputs, ingress: [] }, { ...r.inputs, ingress: [] }, `${what}: ${urn}`);
                    }
                    // With a second stamp the services learn the writer (intergalactic:mongo.writerRegion): their Deployments gain
                    // the writer's variables, and the digest that rolls them when it moves; a rolling update, nothing else changes.
                    const toldWriter = r.type === "kubernetes:apps/v1:Deployment" && what === "two regions";
                    if (toldWriter) assert.deepStrictEqual(withoutWriter(now), withoutWriter(r), `${what}: ${urn}`);
                    const allowed = ALLOWED_CHANGES[r.name] ?? (accountEndpoint ? { inputs: "tags name the account's new locations" }
                        : peeredGroup ? { inputs: "gains the new stamp's app subnets as peered clients" } : toldWriter ? { inputs: "gains the writer's variables", dependencies: "waits for the checked writer (the global cluster)" } : {});
                    if (accountEndpoint) {
                        const withoutLocations = (x: PlannedResource) => ({ ...x.inputs, tags: { ...(x.inputs.tags as object), "intergalactic:cosmos-locations": "" } });
                        assert.deepStrictEqual(withoutLocations(now), withoutLocations(r), `${what}: ${urn}`);
                        assert.notStrictEqual((now.inputs.tags as Record<string, string>)["intergalactic:cosmos-locations"], (r.inputs.tags as Record<string, string>)["intergalactic:cosmos-locations"], `${what}: ${urn}`);
                    }
                    if (r.type === "kubernetes:networking.k8s.io/v1:Ingress") assert.deepStrictEqual(hostRulesOnly(now), hostRulesOnly(r), `${what}: ${urn}`);
                    if (r.name === "cluster-vpc-cni") assert.deepStrictEqual({ ...now.inputs, configurationValues: "" }, { ...r.inputs, configurationValues: "" }, `${what}: ${urn}`);
                    assert.deepStrictEqual(changedFields(r, now).filter((f) => !(f in allowed)), [], `${what}: ${urn}`);
                    if (r.type === "azure-native:cosmosdb:DatabaseAccount") {
                        const [old, added] = [r, now].map((x) => (x.inputs as { locations: unknown[] }).locations);
                        assert.deepStrictEqual(added.slice(0, old.length), old, `${what}: the account's existing locations stay as they are`);
                        assert.deepStrictEqual(changedFields(r, now), ["inputs"]);
                        assert.deepStrictEqual({ ...r.inputs, locations: [] }, { ...now.inputs, locations: [] });
                    }
                }
                assert.ok(bigger.size >= ids(smaller).size);
            }
            assert.deepStrictEqual(planRegions(three), ["", regions[1], third]);
            const inRegion = (p: Plan, region: string) => { const at = resourceRegions(p.resources); return p.resources.filter((r) => at.get(r.urn) === region && !joinsStamps(r)).length; };
            assert.deepStrictEqual(inRegion(three, third), inRegion(plan, regions[1]));
        });
    });
}
