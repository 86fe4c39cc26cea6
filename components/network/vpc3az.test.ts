import * as assert from "assert";
import { Plan } from "../../engine/format";
import { PlanGraph } from "../../engine/graph";
import { named, ofType, planFailure, planSnippet, rejection } from "../../engine/testing/plan";
import { InvalidArgumentsError } from "../common/validation";
import { Vpc3Az, Vpc3AzArgs } from "./vpc3az";

const ZONES = ["us-east-1a", "us-east-1b", "us-east-1c"];
const planVpc = (args: Vpc3AzArgs) => planSnippet(() => new Vpc3Az("net", args));
const input = (plan: Plan, type: string, name: string, key: string) => named(plan, type, name).inputs[key];

describe("Vpc3Az on AWS", () => {
    let plan: Plan;
    before(async () => {
        plan = await planVpc({ cloud: "aws", availabilityZones: ZONES, tags: { team: "cookies" } });
    });

    it("registers as intergalactic:index:Vpc3Az and parents every child to itself", () => {
        const component = named(plan, "intergalactic:index:Vpc3Az", "net");
        const children = plan.resources.filter((r) => r.custom);
        assert.ok(children.length > 40);
        for (const child of children) assert.strictEqual(child.parent, component.urn, child.name);
    });

    it("creates a public, an app and a data subnet in each of the three zones", () => {
        const subnets = ofType(plan, "aws:ec2/subnet:Subnet");
        const tiersByZone = new Map<string, string[]>();
        for (const s of subnets) {
            const zone = s.inputs.availabilityZone as string;
            tiersByZone.set(zone, [...(tiersByZone.get(zone) ?? []), (s.inputs.tags as Record<string, string>)["intergalactic:tier"]].sort());
        }
        assert.deepStrictEqual([...tiersByZone.keys()].sort(), ZONES);
        for (const tiers of tiersByZone.values()) assert.deepStrictEqual(tiers, ["app", "data", "public"]);
        assert.ok(subnets.every((s) => s.inputs.mapPublicIpOnLaunch === false));
    });

    it("routes each zone's app subnet to the NAT gateway in the same zone", () => {
        const graph = new PlanGraph(plan);
        const natZoneById = new Map(ofType(plan, "aws:ec2/natGateway:NatGateway").map((n) => [n.id, graph.zonesOf(n)[0]]));
        assert.strictEqual(natZoneById.size, 3);
        for (const zone of ["a", "b", "c"]) {
            const route = named(plan, "aws:ec2/route:Route", `net-app-${zone}-default-route`);
            assert.strictEqual(natZoneById.get(route.inputs.natGatewayId as string), `us-east-1${zone}`);
        }
    });

    it("gives public subnets a route to the internet gateway and data subnets no default route at all", () => {
        const routes = ofType(plan, "aws:ec2/route:Route").map((r) => r.name).sort();
        assert.deepStrictEqual(routes, ["a", "b", "c"].flatMap((z) => [`net-app-${z}-default-route`, `net-public-${z}-default-route`]).sort());
        const igw = named(plan, "aws:ec2/internetGateway:InternetGateway", "net-igw");
        assert.strictEqual(input(plan, "aws:ec2/route:Route", "net-public-b-default-route", "gatewayId"), igw.id);
    });

    it("keeps one route table per tier and zone", () => {
        assert.strictEqual(ofType(plan, "aws:ec2/routeTable:RouteTable").length, 9);
        assert.strictEqual(ofType(plan, "aws:ec2/routeTableAssociation:RouteTableAssociation").length, 9);
    });

    it("attaches an S3 gateway endpoint to the app and data route tables of the region", () => {
        const endpoint = named(plan, "aws:ec2/vpcEndpoint:VpcEndpoint", "net-s3-endpoint");
        assert.strictEqual(endpoint.inputs.serviceName, "com.amazonaws.us-east-1.s3");
        assert.strictEqual(endpoint.inputs.vpcEndpointType, "Gateway");
        assert.strictEqual((endpoint.inputs.routeTableIds as string[]).length, 6);
    });

    it("sends all VPC traffic to flow logs kept for the configured retention", () => {
        const flowLog = named(plan, "aws:ec2/flowLog:FlowLog", "net-flow-logs");
        assert.strictEqual(flowLog.inputs.trafficType, "ALL");
        assert.strictEqual(input(plan, "aws:cloudwatch/logGroup:LogGroup", "net-flow-logs", "retentionInDays"), 30);
        const trust = JSON.parse(input(plan, "aws:iam/role:Role", "net-flow-logs", "assumeRolePolicy") as string);
        assert.strictEqual(trust.Statement[0].Principal.Service, "vpc-flow-logs.amazonaws.com");
    });

    it("strips every rule from the default security group", () => {
        const sg = named(plan, "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "net-default-sg");
        assert.deepStrictEqual([sg.inputs.ingress, sg.inputs.egress], [[], []]);
    });

    it("merges user tags under the component's own tags", () => {
        const vpc = named(plan, "aws:ec2/vpc:Vpc", "net-vpc");
        assert.deepStrictEqual(vpc.inputs.tags, { Name: "net", team: "cookies", "intergalactic:component": "net" });
    });

    it("creates one NAT gateway in the first zone with the Single strategy and none with None", async () => {
        const single = await planVpc({ cloud: "aws", availabilityZones: ZONES, natStrategy: "Single" });
        assert.deepStrictEqual(ofType(single, "aws:ec2/natGateway:NatGateway").map((n) => n.name), ["net-nat-a"]);
        const none = await planVpc({ cloud: "aws", availabilityZones: ZONES, natStrategy: "None" });
        assert.strictEqual(ofType(none, "aws:ec2/natGateway:NatGateway").length, 0);
        assert.strictEqual(ofType(none, "aws:ec2/route:Route").length, 3);
    });

    it("does not replace the subnets, NATs or route tables of existing zones when a fourth zone is added", async () => {
        const four = await planVpc({ cloud: "aws", availabilityZones: [...ZONES, "us-east-1d"], zoneCount: 4 });
        const identity = (p: Plan) => new Map(p.resources.filter((r) => r.custom).map((r) => [r.urn, JSON.stringify(r.inputs.cidrBlock ?? r.inputs.availabilityZone ?? "")]));
        const before = identity(plan);
        const after = identity(four);
        const changedOrRemoved = [...before].filter(([urn, value]) => after.get(urn) !== value && !/s3-endpoint/.test(urn));
        assert.deepStrictEqual(changedOrRemoved, []);
    });
});

describe("Vpc3Az on Azure", () => {
    let plan: Plan;
    before(async () => {
        plan = await planVpc({ cloud: "azure" });
    });

    it("creates a resource group and a VNet with the network's range", () => {
        assert.strictEqual(ofType(plan, "azure-native:resources:ResourceGroup").length, 1);
        assert.deepStrictEqual(input(plan, "azure-native:network:VirtualNetwork", "net-vnet", "addressSpace"), { addressPrefixes: ["10.0.0.0/16"] });
    });

    it("gives each zone its own app subnet and zonal NAT gateway with a zonal Standard public IP", () => {
        for (const zone of ["1", "2", "3"]) {
            const nat = named(plan, "azure-native:network:NatGateway", `net-nat-z${zone}`);
            assert.deepStrictEqual(nat.inputs.zones, [zone]);
            const ip = named(plan, "azure-native:network:PublicIPAddress", `net-nat-ip-z${zone}`);
            assert.deepStrictEqual([ip.inputs.zones, (ip.inputs.sku as { name: string }).name], [[zone], "Standard"]);
            const subnet = named(plan, "azure-native:network:Subnet", `net-app-z${zone}`);
            assert.deepStrictEqual(subnet.inputs.natGateway, { id: nat.id });
        }
    });

    it("names the bastion subnet AzureBastionSubnet with a /26", () => {
        const bastion = named(plan, "azure-native:network:Subnet", "net-bastion");
        assert.deepStrictEqual([bastion.inputs.subnetName, bastion.inputs.addressPrefix], ["AzureBastionSubnet", "10.0.240.0/26"]);
    });

    it("attaches a least-privilege NSG ending in an explicit deny to every subnet", () => {
        const nsgs = new Map(ofType(plan, "azure-native:network:NetworkSecurityGroup").map((n) => [n.id, n]));
        for (const subnet of ofType(plan, "azure-native:network:Subnet")) {
            const nsg = nsgs.get((subnet.inputs.networkSecurityGroup as { id: string }).id);
            assert.ok(nsg, `${subnet.name} has an NSG`);
            const rules = nsg.inputs.securityRules as { access: string; direction: string; sourceAddressPrefix?: string; sourceAddressPrefixes?: string[]; destinationPortRange?: string; destinationPortRanges?: string[] }[];
            if (subnet.inputs.subnetName !== "AzureBastionSubnet") {
                assert.ok(rules.some((r) => r.access === "Deny" && r.direction === "Inbound"), `${subnet.name} denies the rest`);
            }
            for (const rule of rules.filter((r) => r.access === "Allow" && r.sourceAddressPrefix === "Internet")) {
                const ports = rule.destinationPortRanges ?? [rule.destinationPortRange!];
                assert.ok(ports.every((p) => ["80", "443"].includes(p)), `${nsg.name} opens only 80/443 to the internet`);
            }
        }
    });

    it("lets only the app tier reach the data tier, on the data services' ports", () => {
        const data = named(plan, "azure-native:network:NetworkSecurityGroup", "net-nsg-data");
        const allow = (data.inputs.securityRules as { access: string; sourceAddressPrefixes: string[] }[]).filter((r) => r.access === "Allow");
        assert.deepStrictEqual(allow.map((r) => r.sourceAddressPrefixes), [["10.0.0.0/20", "10.0.32.0/20", "10.0.64.0/20"]]);
    });

    it("creates subnets one after another, as Azure requires for one VNet", () => {
        const subnets = ofType(plan, "azure-native:network:Subnet");
        subnets.slice(1).forEach((subnet, i) => assert.ok(subnet.dependencies.includes(subnets[i].urn), subnet.name));
    });

    it("exports each subnet with its tier and zone", () => {
        const component = named(plan, "intergalactic:index:Vpc3Az", "net");
        const subnets = component.outputs.subnets as { tier: string; zone: string }[];
        assert.deepStrictEqual(subnets.map((s) => `${s.tier}:${s.zone}`), ["app:1", "app:2", "app:3", "public:", "data:", "bastion:"]);
    });
});

describe("Vpc3Az with bad input", () => {
    it("throws an InvalidArgumentsError before registering anything", async () => {
        const err = await rejection(planVpc({ cloud: "aws", availabilityZones: ZONES, zoneCount: 1, cidrBlock: "10.0.0.0/8" }));
        assert.ok(err instanceof InvalidArgumentsError);
        assert.match(err.message, /zoneCount: 1 must be an integer from 2 to 7/);
        assert.match(err.message, /cidrBlock: "10.0.0.0\/8" is larger than aws allows/);
    });

    it("registers nothing but the stack when the args are invalid", async () => {
        const { error, registered } = await planFailure(() => new Vpc3Az("net", { cloud: "aws", availabilityZones: ["us-west-1a", "us-west-1c"] }));
        assert.match(error.message, /zoneCount: 3 exceeds the 2 zones the region offers/);
        assert.deepStrictEqual(registered, ["pulumi:pulumi:Stack"]);
    });
});

describe("Vpc3Az's facts", () => {
    it("hold every subnet's zone and range as plain values before anything exists, and its id once it does", async () => {
        let facts: ReturnType<Vpc3Az["facts"]> | undefined;
        const plan = await planSnippet(() => {
            const net = new Vpc3Az("net", { cloud: "aws", availabilityZones: ZONES, cidrBlock: "10.4.0.0/16" });
            facts = net.facts();
            // Plain right after construction: a component placed in the network plans with these synchronously.
            assert.deepStrictEqual(net.selectSubnets({ tier: "app" }).map((s) => [s.zone, s.cidr]),
                [["us-east-1a", "10.4.0.0/20"], ["us-east-1b", "10.4.32.0/20"], ["us-east-1c", "10.4.64.0/20"]]);
            assert.deepStrictEqual([facts.cloud, facts.cidrBlock, facts.zones], ["aws", "10.4.0.0/16", ZONES]);
            return net;
        });
        const subnets = ofType(plan, "aws:ec2/subnet:Subnet");
        assert.strictEqual(facts!.subnets.length, subnets.length);
        for (const subnet of subnets) {
            const tier = (subnet.inputs.tags as Record<string, string>)["intergalactic:tier"];
            const fact = facts!.subnets.find((s) => s.cidr === subnet.inputs.cidrBlock);
            assert.deepStrictEqual([fact?.tier, fact?.zone], [tier, subnet.inputs.availabilityZone], subnet.name);
            const id = await new Promise<string>((resolve) => (fact!.id as import("@pulumi/pulumi").Output<string>).apply(resolve));
            assert.strictEqual(id, subnet.id, subnet.name);
        }
    });

    it("are the same as the subnets output other languages read", async () => {
        let facts: ReturnType<Vpc3Az["facts"]> | undefined;
        const plan = await planSnippet(() => {
            const net = new Vpc3Az("net", { cloud: "azure" });
            facts = net.facts();
            return net;
        });
        const exported = named(plan, "intergalactic:index:Vpc3Az", "net").outputs.subnets as { tier: string; zone: string; cidr: string }[];
        assert.deepStrictEqual(facts!.subnets.map((s) => [s.tier, s.zone, s.cidr]), exported.map((s) => [s.tier, s.zone, s.cidr]));
        assert.strictEqual(facts!.resourceGroupName !== undefined, true, "an Azure network names its resource group");
    });
});
