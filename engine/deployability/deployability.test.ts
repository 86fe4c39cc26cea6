import * as assert from "assert";
import { DependencyGraph } from "../dependencies";
import { Plan, PlannedResource } from "../format";
import { ROOT } from "../planStack";
import { loadStackFiles } from "../stackFiles";
import { stackNames, stackPlan } from "../testing/plan";
import { analyzeDeployability, formatDeployability } from "./analyze";
import { GateFinder } from "./gates";
import { ALL_RULES, DEPLOYER_RANGES_KEY, Gate, RULES } from "./rules";

/** The stacks, from the Pulumi.<stack>.yaml files, so a new stack is covered without listing it here. */
const STACKS = stackNames();

/** The plan with every edge expanded to the custom resources the engine orders by, so edges can be cut one by one. */
function flattened(plan: Plan): Plan {
    const graph = new DependencyGraph(plan);
    return {
        ...plan,
        resources: plan.resources.map((r) => (r.custom
            ? { ...r, dependencies: graph.direct(r.urn), propertyDependencies: {}, options: { ...r.options, deletedWith: "" } }
            : { ...r })),
    };
}

/** The plan with `from` cut off from every gate: no path from `from` to a gate is left. */
function severed(plan: Plan, from: string, gates: readonly string[], both = false): Plan {
    const flat = flattened(plan);
    const graph = new DependencyGraph(flat);
    const cut = new Map<string, Set<string>>();
    const block = (source: string, targets: readonly string[]) => {
        for (const x of [source, ...graph.closure(source)]) {
            const set = cut.get(x) ?? new Set<string>();
            targets.forEach((t) => set.add(t));
            cut.set(x, set);
        }
    };
    block(from, gates);
    if (both) gates.forEach((g) => block(g, [from]));
    return {
        ...flat,
        resources: flat.resources.map((r) => {
            const drop = cut.get(r.urn);
            if (!drop) return r;
            const provider = drop.has(r.options.provider.replace(/::[^:]*$/, "")) ? "" : r.options.provider;
            return { ...r, dependencies: r.dependencies.filter((d) => !drop.has(d)), options: { ...r.options, provider } };
        }),
    };
}

const findingsFor = (plan: Plan, urn: string, gate: string) => analyzeDeployability(plan).findings.filter((f) => f.urn === urn && f.gate === gate);
const ofType = (plan: Plan, type: string) => plan.resources.filter((r) => r.custom && r.type === type);

describe("the deployability analysis of every stack", () => {
    for (const stack of STACKS) {
        it(`finds nothing missing in ${stack}`, async () => {
            const report = analyzeDeployability(await stackPlan(stack));
            assert.deepStrictEqual(report.findings.map((f) => `${f.name} [${f.gate}] ${f.missing}`), [], formatDeployability(report));
            assert.ok(report.satisfied > 100, `only ${report.satisfied} needs were checked`);
        });

        it(`knows every resource type ${stack} creates`, async () => {
            const unknown = [...new Set((await stackPlan(stack)).resources.filter((r) => r.custom && !ALL_RULES[r.type]).map((r) => r.type))];
            assert.deepStrictEqual(unknown, []);
        });
    }

    it("reports a type the rules do not know, naming where to add it", () => {
        const plan = fixturePlan([resource("aws:newservice/thing:Thing", "thing")]);
        const [finding] = analyzeDeployability(plan).findings;
        assert.strictEqual(finding.gate, "unknown-type");
        assert.match(formatDeployability(analyzeDeployability(plan)), /aws:newservice\/thing:Thing thing \[unknown-type\]: no deployability rule knows this type: add it to engine\/deployability\/rules.ts/);
    });

    it("gives every rule with needs a documented source for each, and every rule without needs its reason", () => {
        for (const [type, rule] of Object.entries(ALL_RULES)) {
            if (rule.needs.length === 0) assert.ok(rule.none && rule.none.length > 10, `${type} has neither needs nor a reason for none`);
            for (const need of rule.needs) assert.match(need.source, /^(https:\/\/|[\w.-]+\/[\w.-]+#\d+)/, `${type} ${need.gate}`);
        }
    });
});

/** Every (type, gate) of the rules that a stack plan exercises, with a resource and what the gate demands of it. */
interface Case { stack: string; type: string; gate: Gate; resource: PlannedResource; gates: string[]; serial: boolean }

async function cases(): Promise<Case[]> {
    const found: Case[] = [];
    const seen = new Set<string>();
    for (const stack of STACKS) {
        const plan = await stackPlan(stack);
        const finder = new GateFinder(new DependencyGraph(plan));
        for (const [type, rule] of Object.entries(RULES)) {
            for (const need of rule.needs) {
                const key = `${stack} ${type} ${need.gate}`;
                for (const resource of ofType(plan, type)) {
                    if (seen.has(key)) break;
                    const demand = finder.demand(need.gate, resource);
                    const gates = [...demand.required, ...(demand.orderedWith ?? [])].map((g) => g.urn).filter((u) => u !== resource.urn);
                    if (gates.length === 0) continue;
                    seen.add(key);
                    found.push({ stack, type, gate: need.gate, resource, gates, serial: (demand.orderedWith ?? []).length > 0 });
                }
            }
        }
    }
    return found;
}

describe("each deployability rule", () => {
    it("passes on the stack plans and fails, naming the resource, the missing dependency and the reason, once the dependency is cut", async () => {
        const all = await cases();
        for (const c of all) {
            const plan = await stackPlan(c.stack);
            assert.deepStrictEqual(findingsFor(plan, c.resource.urn, c.gate), [], `${c.stack} ${c.resource.name} ${c.gate} passes`);
            const broken = severed(plan, c.resource.urn, c.gates, c.serial);
            // Cut from its cluster, a cluster-relative gate shows as the missing cluster.
            const cluster = new GateFinder(new DependencyGraph(plan)).clusterOf(c.resource);
            const gate = cluster && c.gates.includes(cluster.urn) ? Gate.KubernetesCluster : c.gate;
            const findings = [...findingsFor(broken, c.resource.urn, c.gate), ...findingsFor(broken, c.resource.urn, gate)];
            assert.ok(findings.length > 0, `${c.stack}: cutting ${c.resource.name} from its ${c.gate} gates is not reported`);
            assert.ok(findings.every((f) => f.reason.length > 20 && f.source.length > 0), JSON.stringify(findings[0]));
            if (gate !== Gate.KubernetesCluster) assert.ok(findings.some((f) => f.missing !== ""), `${c.gate}: names the missing dependency`);
        }
    });

    it("is exercised by the stacks for every type with needs, each need on at least one stack", async () => {
        const all = await cases();
        const covered = new Set(all.map((c) => `${c.type} ${c.gate}`));
        const missing = Object.entries(RULES).flatMap(([type, rule]) => rule.needs.map((n) => `${type} ${n.gate}`))
            // The mesh is off in every stack; its objects share the needs of every Kubernetes object, covered by the Namespace.
            .filter((k) => !k.startsWith("kubernetes:security.istio.io/"))
            // Admission webhooks are only on EKS; their gate is exercised on the AWS stacks by every object after the controller.
            // Managed certificates are off in every stack file; stacks/regionsCertificates.test.ts plans prod with them and cuts the gate.
            .filter((k) => k !== "kubernetes:networking.k8s.io/v1:Ingress certificate-issued")
            .filter((k) => !covered.has(k));
        assert.deepStrictEqual(missing, []);
        assert.deepStrictEqual(RULES["kubernetes:security.istio.io/v1:PeerAuthentication"].needs, RULES["kubernetes:core/v1:Namespace"].needs);
    });
});

describe("the reachability gate", () => {
    it("refuses an EKS cluster with only a private endpoint, naming the key that declares the deployer's ranges", async () => {
        const plan = structuredClone(await stackPlan("dev"));
        const eks = ofType(plan, "aws:eks/cluster:Cluster")[0];
        (eks.inputs.vpcConfig as Record<string, unknown>).endpointPublicAccess = false;
        const ns = ofType(plan, "kubernetes:core/v1:Namespace")[0];
        const [finding] = findingsFor(plan, ns.urn, Gate.ApiReachable);
        assert.ok(finding.reason.includes(`set ${DEPLOYER_RANGES_KEY} to the deployer's egress ranges`), finding.reason);
    });

    it("refuses a private AKS cluster the same way", async () => {
        const plan = structuredClone(await stackPlan("dev-azure"));
        const aks = ofType(plan, "azure-native:containerservice:ManagedCluster")[0];
        aks.inputs.apiServerAccessProfile = { enablePrivateCluster: true, privateDNSZone: "system" };
        const deployment = ofType(plan, "kubernetes:apps/v1:Deployment")[0];
        const [finding] = findingsFor(plan, deployment.urn, Gate.ApiReachable);
        assert.match(finding.reason, /is a private cluster, which a deployer outside the network cannot reach: set intergalactic:cluster.publicEndpointCidrs/);
    });

    it("refuses an AKS API that authorizes the deployers but not its own nodes' NAT addresses", async () => {
        const plan = structuredClone(await stackPlan("dev-azure"));
        const aks = ofType(plan, "azure-native:containerservice:ManagedCluster")[0];
        aks.inputs.apiServerAccessProfile = { authorizedIPRanges: ["203.0.113.0/28"] };
        const [finding] = findingsFor(plan, aks.urn, Gate.NodeEgressAuthorized);
        assert.match(finding.reason, /authorizes 203.0.113.0\/28 but not its nodes' NAT addresses 198\.51\.100\.\d+/);
        assert.match(finding.source, /MicrosoftDocs\/azure-docs#97437/);
    });

    it("refuses an EKS cluster whose only admin is its creator", async () => {
        const plan = structuredClone(await stackPlan("prod"));
        plan.resources = plan.resources.filter((r) => !r.type.startsWith("aws:eks/access"));
        const release = ofType(plan, "kubernetes:helm.sh/v3:Release")[0];
        assert.match(findingsFor(plan, release.urn, Gate.ApiIdentity)[0].reason, /no access policy association grants anyone Kubernetes permissions/);
    });

    it("refuses a Kubernetes object without an explicit provider", () => {
        const plan = fixturePlan([resource("kubernetes:core/v1:Namespace", "ns")]);
        assert.match(analyzeDeployability(plan).findings[0].reason, /no explicit Kubernetes provider/);
    });
});

const STACK_URN = "urn:pulumi:t::p::pulumi:pulumi:Stack::p-t";
function resource(type: string, name: string): PlannedResource {
    return {
        urn: `urn:pulumi:t::p::${type}::${name}`, type, name, parent: STACK_URN, dependencies: [], inputs: {}, custom: true, id: `${name}-id`,
        outputs: {}, propertyDependencies: {}, options: { protect: false, retainOnDelete: false, deletedWith: "", ignoreChanges: [], provider: "" },
    };
}
function fixturePlan(resources: PlannedResource[]): Plan {
    const stack = { ...resource("pulumi:pulumi:Stack", "p-t"), urn: STACK_URN, custom: false, parent: "" };
    return { stack: "t", cloud: "aws", formatVersion: 1, resources: [stack, ...resources], stackOutputs: {} };
}

describe("the node egress gate", function () {
    this.timeout(120_000);
    // Nodes in private subnets reach the EKS API, ECR and S3 only through a NAT route or interface endpoints
    // (https://docs.aws.amazon.com/eks/latest/userguide/private-clusters.html).
    const network = (natStrategy: string) => {
        const config = loadStackFiles(ROOT, "dev").config;
        return { "intergalactic:network": JSON.stringify({ ...JSON.parse(config["intergalactic:network"]), natStrategy }) };
    };
    const egressFindings = (plan: Plan) => analyzeDeployability(plan).findings.filter((f) => f.gate === Gate.NodeEgress);

    it("refuses node groups with nodes in subnets with no default route to a NAT gateway", async () => {
        const plan = await stackPlan("dev", network("None"));
        const groups = plan.resources.filter((r) => r.type === "aws:eks/nodeGroup:NodeGroup");
        assert.strictEqual(groups.length, 3);
        assert.deepStrictEqual(egressFindings(plan).map((f) => f.name).sort(), groups.map((g) => g.name).sort());
        assert.match(formatDeployability(analyzeDeployability(plan)), /no default route to a NAT gateway/);
    });

    it("accepts them at zero nodes, and with a NAT route", async () => {
        const schedule = JSON.parse(loadStackFiles(ROOT, "dev").config["intergalactic:schedule"]);
        const asleep = await stackPlan("dev", { ...network("None"), "intergalactic:schedule": JSON.stringify({ ...schedule, mode: "hibernated" }) });
        assert.deepStrictEqual(egressFindings(asleep), []);
        assert.deepStrictEqual(egressFindings(await stackPlan("dev")), []);
    });
});

describe("deployability: an ALB Ingress on a cluster with no nodes (a destroy of the hibernated state)", function () {
    this.timeout(120_000);
    const hibernated = async () => {
        const schedule = JSON.parse(loadStackFiles(ROOT, "dev").config["intergalactic:schedule"]);
        return stackPlan("dev", { "intergalactic:schedule": JSON.stringify({ ...schedule, mode: "hibernated" }) });
    };
    const controllerFindings = (plan: Plan) => analyzeDeployability(plan).findings.filter((f) => f.gate === Gate.IngressController);

    it("refuses it unprotected: its destroy would wait on the controller's finalizer with no node for the controller", async () => {
        const plan = structuredClone(await hibernated());
        for (const r of plan.resources) if (r.type === "kubernetes:networking.k8s.io/v1:Ingress") r.options.protect = false;
        const [finding] = controllerFindings(plan);
        assert.ok(finding, "a finding for the Ingress");
        assert.match(finding.reason, /no node group of .* has nodes.*protect/);
        assert.match(finding.source, /aws-load-balancer-controller#1629/);
    });

    it("accepts it protected (a destroy with a preview is refused before it deletes anything), and unprotected where nodes run", async () => {
        assert.deepStrictEqual(controllerFindings(await hibernated()), []);
        assert.deepStrictEqual(controllerFindings(await stackPlan("dev")), []);
    });
});

describe("the peering gate", () => {
    // An inter-region request stays pending-acceptance until its accepter accepts it (provider docs of peerRegion).
    const request = { ...resource("aws:ec2/vpcPeeringConnection:VpcPeeringConnection", "peering"), id: "pcx-1", inputs: { peerRegion: "us-east-1" } };
    const route = { ...resource("aws:ec2/route:Route", "to-peer"), inputs: { vpcPeeringConnectionId: "pcx-1", destinationCidrBlock: "10.21.0.0/16" } };

    it("refuses a route through a peering that nothing in the plan accepts", () => {
        const [finding] = analyzeDeployability(fixturePlan([request, route])).findings.filter((f) => f.gate === Gate.PeeringActive);
        assert.ok(finding, "not reported");
        assert.match(finding.missing || finding.reason, /accepter|VpcPeeringConnectionAccepter/i);
    });

    it("requires the accepter among the route's dependencies", () => {
        const accept = { ...resource("aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter", "accept"), id: "pcx-1", inputs: { vpcPeeringConnectionId: "pcx-1", autoAccept: true } };
        const cut = analyzeDeployability(fixturePlan([request, accept, route])).findings.filter((f) => f.gate === Gate.PeeringActive);
        assert.strictEqual(cut.length, 1);
        const ordered = analyzeDeployability(fixturePlan([request, accept, { ...route, dependencies: [accept.urn] }])).findings.filter((f) => f.gate === Gate.PeeringActive);
        assert.deepStrictEqual(ordered, []);
    });
});
