import * as assert from "assert";
import { TagKeys } from "./tags";
import { ZoneReader, ZoneResource, ZoneTypes } from "./zones";

/** A resource view for tests: `props` as set, `deps` per property by URN, an unknown id as "". */
interface Fake extends ZoneResource {
    readonly props: Record<string, unknown>;
}

function fakes(specs: { type: string; name: string; id?: string; custom?: boolean; props?: Record<string, unknown>; deps?: Record<string, string[]> }[]): Map<string, Fake> {
    const all = new Map<string, Fake>();
    for (const s of specs) {
        all.set(s.name, {
            type: s.type, urn: `urn:${s.name}`, custom: s.custom ?? true, id: s.id ?? "", props: s.props ?? {},
            prop: (n) => (s.props ?? {})[n],
            propertyNames: () => Object.keys(s.props ?? {}),
            dependencies: (p) => (s.deps?.[p] ?? []).map((d) => all.get(d)!),
        });
    }
    return all;
}

const awsNetwork = () => [
    { type: ZoneTypes.Vpc3Az, name: "net", custom: false, props: { zones: ["a", "b"], subnets: [] } },
    { type: ZoneTypes.AwsSubnet, name: "data-a", id: "subnet-a", props: { availabilityZone: "a", tags: { [TagKeys.Tier]: "data" } } },
    { type: ZoneTypes.AwsSubnet, name: "data-b", id: "subnet-b", props: { availabilityZone: "b", tags: { [TagKeys.Tier]: "data" } } },
];

describe("the zone reader", () => {
    it("puts a component in no zone, whatever zones it exports", () => {
        const r = fakes(awsNetwork());
        assert.deepStrictEqual(new ZoneReader([...r.values()]).zonesOf(r.get("net")!), []);
    });

    it("takes the zones a resource names itself before those of its subnets", () => {
        const r = fakes([...awsNetwork(), { type: "aws:elasticache/replicationGroup:ReplicationGroup", name: "cache", props: { preferredCacheClusterAzs: ["b", "a"], subnetIds: ["subnet-a"] } }]);
        assert.deepStrictEqual(new ZoneReader([...r.values()]).zonesOf(r.get("cache")!), ["b", "a"]);
    });

    it("finds the subnets by the ids a resource holds, nested under a subnet key or through a subnet group", () => {
        const r = fakes([...awsNetwork(),
            { type: "aws:msk/cluster:Cluster", name: "kafka", props: { brokerNodeGroupInfo: { clientSubnets: ["subnet-a", "subnet-b"] } } },
            { type: "azure-native:network:NetworkInterface", name: "nic", props: { ipConfigurations: [{ subnet: { id: "subnet-b" } }] } },
            { type: ZoneTypes.AwsDocDbSubnetGroup, name: "group", props: { subnetIds: ["subnet-a"] } },
            { type: "aws:docdb/cluster:Cluster", name: "docdb", props: { dbSubnetGroupName: "group-name" }, deps: { dbSubnetGroupName: ["group"] } },
        ]);
        const reader = new ZoneReader([...r.values()]);
        assert.deepStrictEqual(reader.zonesOf(r.get("kafka")!), ["a", "b"]);
        assert.deepStrictEqual(reader.zonesOf(r.get("nic")!), ["b"]);
        assert.deepStrictEqual(reader.zonesOf(r.get("docdb")!), ["a"]);
    });

    it("follows property dependencies while the subnet ids are unknown, as in a preview", () => {
        const r = fakes([...awsNetwork().map((s) => ({ ...s, id: "" })),
            { type: "aws:eks/nodeGroup:NodeGroup", name: "nodes", props: { subnetIds: undefined }, deps: { subnetIds: ["data-b"] } }]);
        assert.deepStrictEqual(new ZoneReader([...r.values()]).zonesOf(r.get("nodes")!), ["b"]);
    });

    it("reads an Azure subnet's zone from Vpc3Az's export, else from its one zonal NAT gateway; a regional subnet is in none, and what it holds is in every zone", () => {
        const r = fakes([
            { type: ZoneTypes.Vpc3Az, name: "net", custom: false, props: { zones: ["1", "2", "3"], subnets: [{ id: "sn-app-1", tier: "app", zone: "1", cidr: "10.0.0.0/24" }] } },
            { type: ZoneTypes.AzureSubnet, name: "app-1", id: "sn-app-1" },
            { type: "azure-native:network:NatGateway", name: "nat-2", props: { zones: ["2"] } },
            { type: ZoneTypes.AzureSubnet, name: "app-2", id: "sn-app-2", deps: { natGateway: ["nat-2"] } },
            { type: ZoneTypes.AzureSubnet, name: "data", id: "sn-data" },
            { type: "azure-native:network:PrivateEndpoint", name: "pe", props: { subnet: { id: "sn-data" } } },
        ]);
        const reader = new ZoneReader([...r.values()]);
        assert.deepStrictEqual(["app-1", "app-2", "data"].map((n) => reader.zonesOf(r.get(n)!)), [["1"], ["2"], []]);
        assert.deepStrictEqual(reader.subnets().map((s) => [s.resource.urn, s.tier, s.zone]), [["urn:app-1", "app", "1"], ["urn:app-2", "", "2"], ["urn:data", "", ""]]);
        assert.deepStrictEqual(reader.zonesOf(r.get("pe")!), ["1", "2", "3"]);
    });

    it("tiers an AWS subnet by its tier tag and names an Azure Bastion subnet's tier by its required name", () => {
        const r = fakes([...awsNetwork(), { type: ZoneTypes.AzureSubnet, name: "bastion", id: "sn-b", props: { subnetName: "AzureBastionSubnet" } }]);
        const reader = new ZoneReader([...r.values()]);
        assert.deepStrictEqual(reader.subnets().map((s) => s.tier), ["data", "data", "bastion"]);
        assert.deepStrictEqual(reader.zonesOfTier("data"), ["a", "b"]);
        assert.deepStrictEqual(reader.zones(), ["a", "b"]);
    });
});
