import * as assert from "assert";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CONSUMER_NODE_MODULES_LIMIT_MB, ROOT, consumerCopy, diskUsageBytes, installInto, preparePackage, runWithLoadReport, typecheck } from "./build";
import { packageRoots } from "./loadReport";

interface PlannedResource {
    readonly type: string;
    readonly name: string;
    readonly id?: string;
    // The provider's input shapes, read by path in each cloud's accessors below.
    readonly inputs: Record<string, any>;
}

/** One cloud's consumer project: what it installs, what it must not, and how its plan shows the wiring. */
interface Consumer {
    readonly example: string;
    readonly cloud: "aws" | "azure";
    /** The SDK it installs, and the other cloud's, which it must neither install nor load. */
    readonly sdk: string;
    readonly foreignSdk: string;
    readonly limitMb: number;
    /** The optional peers it needs besides its cloud's SDK: @pulumi/kubernetes for KubernetesCluster on AWS (its charts). */
    readonly kubernetesSdk: boolean;
    readonly subnetType: string;
    /** The range of a planned subnet. */
    readonly cidrOf: (subnet: PlannedResource) => string;
    /** The network's subnets each data store is placed in (subnet ids as planned). */
    readonly dataStorePlacements: (plan: PlannedResource[]) => Record<string, string[]>;
    /** The subnets the cluster's nodes are placed in. */
    readonly nodeSubnets: (plan: PlannedResource[]) => string[];
    /**
     * Every source each data store's ingress admits (address ranges, and any other kind of source spelt out),
     * by the resource that filters it. Throws when a store has no ingress filter at all.
     */
    readonly dataIngress: (plan: PlannedResource[]) => Record<string, string[]>;
}

/** The sources one inline AWS security group rule admits: ranges, and other groups, prefix lists or itself by kind. */
function awsRuleSources(rule: Record<string, any>): string[] {
    return [
        ...(rule.cidrBlocks ?? []), ...(rule.ipv6CidrBlocks ?? []),
        ...(rule.securityGroups ?? []).map((g: string) => `security group ${g}`),
        ...(rule.prefixListIds ?? []).map((p: string) => `prefix list ${p}`),
        ...(rule.self ? ["the group itself"] : []),
    ];
}

/**
 * AWS: the security groups each store names (ElastiCache `securityGroupIds`, DocumentDB `vpcSecurityGroupIds`, MSK
 * `brokerNodeGroupInfo.securityGroups`), their inline ingress and any standalone ingress rule attached to them.
 */
function awsDataIngress(plan: PlannedResource[]): Record<string, string[]> {
    const groups = new Map(byType(plan, "aws:ec2/securityGroup:SecurityGroup").map((g) => [g.id, g]));
    const standalone = byType(plan, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
    const named: Record<string, string[]> = {
        cache: byType(plan, "aws:elasticache/replicationGroup:ReplicationGroup")[0]?.inputs.securityGroupIds,
        users: byType(plan, "aws:docdb/cluster:Cluster")[0]?.inputs.vpcSecurityGroupIds,
        events: byType(plan, "aws:msk/cluster:Cluster")[0]?.inputs.brokerNodeGroupInfo.securityGroups,
    };
    const admitted: Record<string, string[]> = {};
    for (const [store, ids] of Object.entries(named)) {
        assert.ok(Array.isArray(ids) && ids.length > 0, `${store} names no security group`);
        for (const id of ids) {
            const group = groups.get(id);
            assert.ok(group, `${store}: security group ${id} is not planned`);
            admitted[`${store} ${group.name}`] = [
                ...(group.inputs.ingress ?? []).flatMap(awsRuleSources),
                ...standalone.filter((r) => r.inputs.securityGroupId === id)
                    .flatMap((r) => [r.inputs.cidrIpv4, r.inputs.cidrIpv6, r.inputs.referencedSecurityGroupId, r.inputs.prefixListId].filter((v) => v !== undefined)),
            ];
        }
    }
    return admitted;
}

/**
 * Azure: the stores are private endpoints in the data subnets, so what admits them is the data subnets' NSG, which
 * applies to private endpoints only with `privateEndpointNetworkPolicies: "Enabled"` on the subnet
 * (https://learn.microsoft.com/azure/private-link/disable-private-endpoint-network-policy). Its inbound Allow
 * rules must be followed by a deny of everything else: the NSG's default rules admit the whole virtual network
 * (AllowVnetInBound, https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview#default-security-rules).
 */
function azureDataIngress(plan: PlannedResource[]): Record<string, string[]> {
    const subnets = byType(plan, "azure-native:network:Subnet").filter((s) => s.name.split("-")[1] === "data");
    assert.ok(subnets.length > 0, "no data subnets");
    const nsgIds = [...new Set(subnets.map((s) => s.inputs.networkSecurityGroup?.id))];
    assert.strictEqual(nsgIds.length, 1, `the data subnets share one NSG: ${nsgIds.join(", ")}`);
    for (const s of subnets) assert.strictEqual(s.inputs.privateEndpointNetworkPolicies, "Enabled", `${s.name}: the NSG does not apply to its private endpoints`);
    const nsg = byType(plan, "azure-native:network:NetworkSecurityGroup").find((n) => n.id === nsgIds[0]);
    assert.ok(nsg, `the data subnets' NSG ${nsgIds[0]} is not planned`);
    const inbound = (nsg!.inputs.securityRules as Record<string, any>[]).filter((r) => r.direction === "Inbound").sort((a, b) => a.priority - b.priority);
    const last = inbound[inbound.length - 1];
    assert.ok(last && last.access === "Deny" && (last.sourceAddressPrefix === "*" || last.sourceAddressPrefixes?.includes("*")), `${nsg.name}: the last inbound rule must deny everything: ${JSON.stringify(last)}`);
    return {
        [nsg.name]: inbound.filter((r) => r.access === "Allow").flatMap((r) => [
            ...(r.sourceAddressPrefix !== undefined ? [r.sourceAddressPrefix] : []), ...(r.sourceAddressPrefixes ?? []),
            ...(r.sourceApplicationSecurityGroups ?? []).map((g: { id: string }) => `application security group ${g.id}`),
        ]),
    };
}

const byType = (plan: PlannedResource[], type: string) => plan.filter((r) => r.type === type);

/**
 * The consumers: copies of examples/aws-platform and examples/azure-platform outside this repository, where Node
 * cannot fall back on the repository's own node_modules. Both within 250 MB: @pulumi/azure-native alone takes 136 MB,
 * so the Azure project fits only without @pulumi/kubernetes (23 MB), an optional peer dependency it does not need.
 */
const CONSUMERS: readonly Consumer[] = [
    {
        example: "aws-platform", cloud: "aws", sdk: "aws", foreignSdk: "azure-native", limitMb: CONSUMER_NODE_MODULES_LIMIT_MB, kubernetesSdk: true,
        subnetType: "aws:ec2/subnet:Subnet", cidrOf: (s) => s.inputs.cidrBlock,
        dataStorePlacements: (plan) => ({
            cache: byType(plan, "aws:elasticache/subnetGroup:SubnetGroup")[0]?.inputs.subnetIds,
            users: byType(plan, "aws:docdb/subnetGroup:SubnetGroup")[0]?.inputs.subnetIds,
            events: byType(plan, "aws:msk/cluster:Cluster")[0]?.inputs.brokerNodeGroupInfo.clientSubnets,
        }),
        nodeSubnets: (plan) => byType(plan, "aws:eks/nodeGroup:NodeGroup").flatMap((g) => g.inputs.subnetIds),
        dataIngress: awsDataIngress,
    },
    {
        example: "azure-platform", cloud: "azure", sdk: "azure-native", foreignSdk: "aws", limitMb: CONSUMER_NODE_MODULES_LIMIT_MB, kubernetesSdk: false,
        subnetType: "azure-native:network:Subnet", cidrOf: (s) => s.inputs.addressPrefix,
        dataStorePlacements: (plan) => Object.fromEntries(byType(plan, "azure-native:network:PrivateEndpoint")
            .map((e) => [e.name.replace(/-(pe|endpoint)$/, ""), [e.inputs.subnet.id]])),
        nodeSubnets: (plan) => byType(plan, "azure-native:containerservice:AgentPool").map((p) => p.inputs.vnetSubnetID),
        dataIngress: azureDataIngress,
    },
];

for (const consumer of CONSUMERS) {
    describe(`a ${consumer.cloud}-only project that installs the packed package (a copy of examples/${consumer.example} outside the repository)`, function () {
        this.timeout(900_000);
        let dir: string;
        let modules: string;

        before(() => {
            preparePackage();
            dir = consumerCopy(path.join(ROOT, "examples", consumer.example));
            modules = path.join(dir, "node_modules");
            installInto(dir);
        });

        it(`installs no ${consumer.foreignSdk} SDK and stays within ${consumer.limitMb} MB of node_modules`, () => {
            const mb = diskUsageBytes(modules) / 1024 / 1024;
            console.log(`      node_modules: ${mb.toFixed(0)} MB`);
            assert.ok(!fs.existsSync(path.join(modules, "@pulumi", consumer.foreignSdk)), `@pulumi/${consumer.foreignSdk} is installed`);
            assert.ok(fs.existsSync(path.join(modules, "@pulumi", consumer.sdk)), `@pulumi/${consumer.sdk} is not installed`);
            assert.ok(mb <= consumer.limitMb, `node_modules takes ${mb.toFixed(0)} MB`);
            assert.strictEqual(fs.existsSync(path.join(modules, "@pulumi", "kubernetes")), consumer.kubernetesSdk, "@pulumi/kubernetes installed");
            // The largest packages, so a limit that fails says what grew.
            const packages = fs.readdirSync(modules, { withFileTypes: true }).filter((e) => e.isDirectory() && !e.name.startsWith("."))
                .flatMap((e) => e.name.startsWith("@") ? fs.readdirSync(path.join(modules, e.name)).map((m) => `${e.name}/${m}`) : [e.name]);
            const sizes = packages
                .map((n) => [n, diskUsageBytes(path.join(modules, n)) / 1024 / 1024] as const).sort((a, b) => b[1] - a[1]).slice(0, 4);
            console.log(`      largest: ${sizes.map(([n, s]) => `${n} ${s.toFixed(0)} MB`).join(", ")}`);
        });

        it("states the size the test measures in the README's examples paragraph (within 10%)", () => {
            const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8").replace(/\s+/g, " ");
            const pattern = consumer.cloud === "aws" ? /The AWS one installs no Azure SDK \(about (\d+) MB\)/ : /the Azure one no AWS SDK \(about (\d+) MB/;
            const stated = Number(pattern.exec(readme)?.[1]);
            const mb = diskUsageBytes(modules) / 1024 / 1024;
            assert.ok(Math.abs(stated - mb) <= mb * 0.1, `the README says about ${stated} MB, the install takes ${mb.toFixed(0)} MB`);
        });

        if (!consumer.kubernetesSdk) {
            it("gets one sentence naming @pulumi/kubernetes when it imports the services module without it", () => {
                const out = execFileSync(process.execPath, ["-e", "try { require('intergalactic-infra/services'); console.log('loaded'); } catch (e) { console.log(e.message); }"], { cwd: dir, encoding: "utf8" }).trim();
                assert.strictEqual(out, "intergalactic-infra/services (and the package root, which includes CookieServices) needs @pulumi/kubernetes, "
                    + "which is not installed in this project: run npm install @pulumi/kubernetes@^4.34.2");
            });
        }

        it("type-checks against the installed package's declarations", () => {
            typecheck(dir);
        });

        it("writes no subnet id, zone, range or resource group by hand: every component takes the network's facts", () => {
            const program = fs.readFileSync(path.join(dir, "index.ts"), "utf8");
            assert.doesNotMatch(program, /\d+\.\d+\.\d+\.\d+\/\d+|subnet-[0-9a-f]|resourceGroupName: "|SubnetIds\b|\[\d\]/);
            for (const component of ["HaRedis", "HaMongo", "KafkaQuorum", "KubernetesCluster"]) {
                assert.match(program, new RegExp(`new ${component}\\("[a-z0-9]+", \\{\\s*cloud: Cloud\\.\\w+,\\s*network: facts,`), component);
            }
        });

        describe("planned offline through its installed command (intergalactic plan)", () => {
            let plan: PlannedResource[];
            let stdout: string;
            let loaded: readonly string[];

            before(() => {
                const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), `${consumer.example}-`)), "plan.json");
                const run = runWithLoadReport(path.join(modules, ".bin", "intergalactic"), ["plan", "--stack", "dev", "--json", out], dir);
                plan = (JSON.parse(fs.readFileSync(out, "utf8")) as { resources: PlannedResource[] }).resources;
                fs.rmSync(path.dirname(out), { recursive: true, force: true });
                stdout = run.stdout;
                loaded = run.loadedFiles;
            });

            it("plans the network, the three data stores and the cluster, every order need met", () => {
                assert.match(stdout, new RegExp(`^Project ${consumer.example}, stack dev \\(\\.\\)\\nStack dev \\(${consumer.cloud}\\): \\d+ resources`));
                assert.match(stdout, /Deployability \(dev\): .* none missing/);
                const components = plan.filter((r) => r.type.startsWith("intergalactic:")).map((r) => `${r.type.split(":")[2]} ${r.name}`).sort();
                assert.deepStrictEqual(components, ["HaMongo users", "HaRedis cache", "KafkaQuorum events", "KubernetesCluster k8s", "Vpc3Az net"]);
            });

            it("places every data store in the network's data subnets and the cluster's nodes in its app subnets", () => {
                const subnets = byType(plan, consumer.subnetType);
                const tierOf = new Map(subnets.map((s) => [s.id, s.name.split("-")[1]]));
                const tiers = (ids: string[]) => ids.map((id) => tierOf.get(id) ?? `not a subnet of the network: ${id}`);
                const placements = consumer.dataStorePlacements(plan);
                assert.deepStrictEqual(Object.keys(placements).sort(), ["cache", "events", "users"]);
                for (const [store, ids] of Object.entries(placements)) {
                    assert.deepStrictEqual(tiers(ids), ids.map(() => "data"), store);
                }
                const nodes = consumer.nodeSubnets(plan);
                assert.deepStrictEqual(tiers(nodes), subnets.filter((s) => s.name.startsWith("net-app-")).map(() => "app"));
            });

            it("admits to every data store exactly the app subnets' ranges, nothing wider (not the whole network)", () => {
                const appRanges = byType(plan, consumer.subnetType).filter((s) => s.name.startsWith("net-app-")).map(consumer.cidrOf).sort();
                assert.strictEqual(appRanges.length, 3, "three app subnets");
                const admitted = consumer.dataIngress(plan);
                assert.ok(Object.keys(admitted).length > 0, "no data store ingress found");
                for (const [filter, sources] of Object.entries(admitted)) {
                    assert.deepStrictEqual([...new Set(sources)].sort(), appRanges, filter);
                }
            });

            it("reads the project-level config (the network's range lives only in Pulumi.yaml)", () => {
                const space = fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8").match(/cidrBlock: (\S+)/)![1];
                const prefix = space.split(".").slice(0, 2).join(".");
                const ranges = byType(plan, consumer.subnetType).map(consumer.cidrOf);
                assert.ok(ranges.length > 0 && ranges.every((r) => r.startsWith(`${prefix}.`)), ranges.join(", "));
            });

            it(`runs the installed package and @pulumi/${consumer.sdk}, never @pulumi/${consumer.foreignSdk}`, () => {
                const roots = packageRoots(loaded).map((r) => path.relative(dir, r));
                assert.ok(roots.includes(path.join("node_modules", "intergalactic-infra")), roots.join(", "));
                assert.ok(roots.includes(path.join("node_modules", "@pulumi", consumer.sdk)), roots.join(", "));
                assert.deepStrictEqual(roots.filter((r) => r.includes(path.join("@pulumi", consumer.foreignSdk))), []);
                assert.deepStrictEqual(loaded.filter((f) => f.startsWith(ROOT)), []);
            });
        });

        it("gets one sentence naming the package to install when it builds a component for the other cloud", () => {
            const other = consumer.cloud === "aws" ? "azure" : "aws";
            // Under mocks, as in a program: the component plans, then loads its cloud's implementation and SDK.
            const script = [
                "const pulumi = require('@pulumi/pulumi');",
                "pulumi.runtime.setMocks({ newResource: (a) => ({ id: a.name + '_id', state: a.inputs }), call: (a) => a.inputs });",
                "const { Vpc3Az } = require('intergalactic-infra/network');",
                `try { new Vpc3Az('net', { cloud: '${other}', availabilityZones: ${other === "azure" ? "['1', '2', '3']" : "['z1', 'z2', 'z3']"} }); console.log('built'); } catch (e) { console.log(e.message); }`,
            ].join("\n");
            const out = execFileSync(process.execPath, ["-e", script], { cwd: dir, encoding: "utf8" }).trim();
            assert.match(out, new RegExp(`^Components built for ${other} need @pulumi/${consumer.foreignSdk}, which is not installed in this project: run npm install @pulumi/${consumer.foreignSdk}@\\^\\d+\\.\\d+\\.\\d+$`));
        });

        it("gets one sentence naming the package to install when it runs the policy pack without @pulumi/policy (exit 2)", () => {
            assert.ok(!fs.existsSync(path.join(modules, "@pulumi", "policy")), "@pulumi/policy is installed");
            const run = spawnSync(path.join(modules, ".bin", "intergalactic"), ["policy", "--stack", "dev"], { cwd: dir, encoding: "utf8" });
            assert.strictEqual(run.status, 2, run.stdout + run.stderr);
            assert.strictEqual(run.stderr.trim(), "intergalactic: policy needs @pulumi/policy, which is not installed in this project: run npm install @pulumi/policy@^1.21.0");
        });
    });
}
