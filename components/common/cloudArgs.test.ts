import * as assert from "assert";
import { planFailure, planSnippet } from "../../engine/testing/plan";
import { CloudArgRules, argKeys, resolveCloudArgs } from "./cloudArgs";
import { InvalidArgumentsError, Problems } from "./validation";
import { HaRedis, HaRedisArgs } from "../redis/haRedis";
import { HaMongo } from "../mongo/haMongo";
import { KafkaQuorum } from "../kafka/kafkaQuorum";
import { BastionHost } from "../bastion/bastionHost";
import { KubernetesCluster } from "../kubernetes/kubernetesCluster";
import { factsOfPlan } from "../network/facts";
import { NETWORK_CLOUD_ARGS, planNetwork } from "../network/networkPlan";
import { CLOUDS } from "./cloud";
import { REDIS_CLOUD_ARGS } from "../redis/redisPlan";
import { MONGO_CLOUD_ARGS } from "../mongo/mongoPlan";
import { KAFKA_CLOUD_ARGS } from "../kafka/kafkaPlan";
import { BASTION_CLOUD_ARGS } from "../bastion/bastionPlan";
import { CLUSTER_CLOUD_ARGS } from "../kubernetes/clusterPlan";
import { FORWARD_CACHE_CLOUD_ARGS, INGRESS_CLOUD_ARGS, SERVICES_CLOUD_ARGS } from "../services/servicesCloudArgs";

const RULES: CloudArgRules = {
    topLevel: ["cloud", "aws", "azure", "engine", "location"],
    keys: { aws: ["engine", "size", "other"], azure: ["location"] },
    aliases: { aws: ["engine"], azure: ["location"] },
    elsewhere: { aws: { engine: "one engine there", "*": "not there" }, azure: { "*": "the provider's region" } },
};

describe("resolving a component's cloud groups", () => {
    it("keeps the built cloud's group and folds a deprecated top-level key into it", () => {
        assert.deepStrictEqual(resolveCloudArgs("aws", { aws: { size: 2 }, engine: "redis" }, RULES),
            { groups: { aws: { size: 2, engine: "redis" }, azure: {} }, problems: [], shownAs: { size: "aws.size", engine: "engine" },
                paths: { engine: "engine", size: "aws.size", other: "aws.other" } });
    });

    it("names each key of the built group where a problem with it is fixed: as written, else in the group", () => {
        assert.deepStrictEqual(resolveCloudArgs("azure", { location: "westeurope" }, RULES).paths, { location: "location" });
        assert.deepStrictEqual(resolveCloudArgs("azure", {}, RULES).paths, { location: "azure.location" });
        const problems = new Problems("X", resolveCloudArgs("aws", { aws: { size: 0 } }, RULES).paths);
        problems.check(false, "size", 0, "must be positive");
        problems.check(false, "other[1].port", 0, "must be a port");
        problems.check(false, "sizes", 0, "is a different key");
        assert.deepStrictEqual(problems.all, ["aws.size: 0 must be positive", "aws.other[1].port: 0 must be a port", "sizes: 0 is a different key"]);
    });

    it("refuses every key of another cloud's group, naming the arg as written, its value and why it does nothing", () => {
        assert.deepStrictEqual(resolveCloudArgs("azure", { aws: { engine: "redis", other: 1 } }, RULES).problems, [
            "aws.engine: \"redis\" does nothing on azure (only aws uses it): one engine there",
            "aws.other: 1 does nothing on azure (only aws uses it): not there",
        ]);
        assert.deepStrictEqual(resolveCloudArgs("aws", { location: "westeurope" }, RULES).problems,
            ["location: \"westeurope\" does nothing on aws (only azure uses it): the provider's region"]);
    });

    it("refuses a key given both at the top level and in its group, naming the one place to keep", () => {
        assert.deepStrictEqual(resolveCloudArgs("aws", { engine: "redis", aws: { engine: "valkey" } }, RULES).problems,
            ["engine: \"redis\" is also given as aws.engine: give it only as aws.engine (the top-level engine is deprecated)"]);
    });

    it("accepts empty or undefined groups, and leaves an unknown cloud to the cloud check", () => {
        assert.deepStrictEqual(resolveCloudArgs("azure", { aws: { engine: undefined }, azure: {} }, RULES).problems, []);
        assert.deepStrictEqual(resolveCloudArgs("gcp", { aws: { engine: "redis" } }, RULES).problems, []);
        assert.deepStrictEqual(resolveCloudArgs("aws", { aws: ["engine"] }, RULES).problems, ["aws: [\"engine\"] must be an object of the aws-only args"]);
    });
});

const AWS_NETWORK = factsOfPlan(planNetwork("net", { cloud: "aws", availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"] }),
    { networkId: "vpc-0123", subnetId: (name) => `subnet-${name}` });
const VNET = "/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/net-rg/providers/Microsoft.Network/virtualNetworks/net-vnet";
const AZURE_NETWORK = factsOfPlan(planNetwork("net", { cloud: "azure" }), { networkId: VNET, subnetId: (name) => `${VNET}/subnets/${name}` });

/** One data store on one cloud with `extra` args. */
type Build = (extra: Record<string, unknown>) => unknown;
const ON_AZURE: [string, Build][] = [
    ["HaRedis", (extra) => new HaRedis("cache", { cloud: "azure", network: AZURE_NETWORK, ...extra })],
    ["HaMongo", (extra) => new HaMongo("users", { cloud: "azure", network: AZURE_NETWORK, azure: { location: "westeurope" }, ...extra })],
    ["KafkaQuorum", (extra) => new KafkaQuorum("events", { cloud: "azure", network: AZURE_NETWORK, ...extra })],
];
const ON_AWS: [string, Build][] = [
    ["HaRedis", (extra) => new HaRedis("cache", { cloud: "aws", network: AWS_NETWORK, ...extra })],
    ["HaMongo", (extra) => new HaMongo("users", { cloud: "aws", network: AWS_NETWORK, ...extra })],
    ["KafkaQuorum", (extra) => new KafkaQuorum("events", { cloud: "aws", network: AWS_NETWORK, ...extra })],
];

async function refused(build: () => unknown): Promise<string> {
    const { error, registered } = await planFailure(build);
    assert.ok(error instanceof InvalidArgumentsError, String(error));
    assert.deepStrictEqual(registered, ["pulumi:pulumi:Stack"], "nothing but the stack is registered");
    return error.message;
}

describe("a key its cloud group does not know", () => {
    it("is refused with its full path and value, suggesting a known key one edit away or differing only in case", () => {
        assert.deepStrictEqual(resolveCloudArgs("aws", { aws: { engin: "redis", SIZE: 2, replicas: 3 } }, RULES), {
            groups: { aws: {}, azure: {} }, shownAs: {}, paths: { engine: "aws.engine", size: "aws.size", other: "aws.other" },
            problems: [
                "aws.engin: \"redis\" is not an arg of aws: did you mean aws.engine? use one of aws.engine, aws.size, aws.other",
                "aws.SIZE: 2 is not an arg of aws: did you mean aws.size? use one of aws.engine, aws.size, aws.other",
                "aws.replicas: 3 is not an arg of aws: use one of aws.engine, aws.size, aws.other",
            ],
        });
    });

    it("is refused in the other cloud's group too, and in a group that has no args", () => {
        assert.deepStrictEqual(resolveCloudArgs("aws", { azure: { loaction: "westeurope" } }, RULES).problems,
            ["azure.loaction: \"westeurope\" is not an arg of azure: did you mean azure.location? use one of azure.location"]);
        assert.deepStrictEqual(resolveCloudArgs("azure", { azure: { x: 1 } }, { ...RULES, keys: { aws: [], azure: [] } }).problems,
            ["azure.x: 1 is not an arg: the azure group has no args; remove it"]);
    });

    it("is refused at the top level as well, for callers TypeScript does not check", () => {
        assert.deepStrictEqual(resolveCloudArgs("aws", { cloud: "aws", Engine: "redis", zone: "1", location: undefined }, RULES).problems, [
            "Engine: \"redis\" is not an arg: did you mean engine? use one of cloud, aws, azure, engine, location",
            "zone: \"1\" is not an arg: use one of cloud, aws, azure, engine, location",
        ]);
    });

    it("comes from a key table TypeScript checks against the group's interface", () => {
        interface Group { engine?: string; size?: number }
        assert.deepStrictEqual(argKeys<Group>({ engine: true, size: true }), ["engine", "size"]);
        // @ts-expect-error a table that misses a field of the interface does not compile
        argKeys<Group>({ engine: true });
        // @ts-expect-error nor one that names a field the interface lacks
        argKeys<Group>({ engine: true, size: true, sise: true });
    });
});

describe("the data stores' cloud-specific args", () => {
    const PRIVATE_ENDPOINT = /does nothing on azure \(only aws uses it\): the store is reached only through its private endpoint in the data subnet, whose NSG \(Vpc3Az\) admits the network's app tier; remove it/;
    for (const [component, build] of ON_AZURE) {
        it(`refuses client ranges on ${component} on Azure, where the data subnet's NSG decides who connects`, async () => {
            const flat = await refused(() => build({ allowedClientCidrs: ["10.0.0.0/20"] }));
            assert.match(flat, /allowedClientCidrs: \["10.0.0.0\/20"\] /);
            assert.match(flat, PRIVATE_ENDPOINT);
            const grouped = await refused(() => build({ aws: { allowedClientCidrs: ["10.0.0.0/20"], allowedClientSecurityGroupIds: ["sg-1"] } }));
            assert.match(grouped, /aws\.allowedClientCidrs: \["10.0.0.0\/20"\] does nothing on azure/);
            assert.match(grouped, /aws\.allowedClientSecurityGroupIds: \["sg-1"\] does nothing on azure \(only aws uses it\): there are no security groups on Azure/);
        });
    }

    it("refuses every AWS-only knob on Azure, grouped or at the top level", async () => {
        assert.match(await refused(() => ON_AZURE[0][1]({ aws: { engine: "redis" }, replicasPerShard: 2 })),
            /aws\.engine: "redis" does nothing on azure \(only aws uses it\): Azure Managed Redis runs one engine[\s\S]*replicasPerShard: 2 does nothing on azure/);
        assert.match(await refused(() => ON_AZURE[1][1]({ aws: { instanceCount: 3 } })), /aws\.instanceCount: 3 does nothing on azure \(only aws uses it\): Cosmos DB keeps replicas/);
        assert.match(await refused(() => ON_AZURE[2][1]({ brokerCount: 6 })), /brokerCount: 6 does nothing on azure \(only aws uses it\): Event Hubs scales by processing units: set size/);
    });

    it("refuses the Azure-only knobs on AWS", async () => {
        assert.match(await refused(() => ON_AWS[1][1]({ azure: { collections: [{ name: "users" }] }, location: "westeurope" })),
            /azure\.collections: \[\{"name":"users"\}\] does nothing on aws \(only azure uses it\)[\s\S]*location: "westeurope" does nothing on aws/);
    });

    it("refuses a key given both as the deprecated top-level arg and in its group", async () => {
        assert.match(await refused(() => ON_AWS[0][1]({ engine: "redis", aws: { engine: "valkey" } })),
            /engine: "redis" is also given as aws\.engine: give it only as aws\.engine \(the top-level engine is deprecated\)/);
    });

    it("plans the same cache from the aws group as from the deprecated top-level keys", async () => {
        const knobs: Partial<HaRedisArgs> = { engine: "redis", engineVersion: "7.1", replicasPerShard: 3, allowedClientCidrs: ["10.0.0.0/20"] };
        const flat = await planSnippet(() => ON_AWS[0][1](knobs));
        const grouped = await planSnippet(() => ON_AWS[0][1]({ aws: knobs }));
        assert.deepStrictEqual(grouped.resources, flat.resources);
        const group = grouped.resources.find((r) => r.type === "aws:elasticache/replicationGroup:ReplicationGroup")!;
        assert.deepStrictEqual([group.inputs.engine, group.inputs.engineVersion], ["redis", "7.1"]);
    });

    for (const [component, build] of ON_AWS) {
        it(`still admits client ranges on ${component} on AWS, given in the aws group`, async () => {
            // A range inside one app subnet (10.0.32.0/20): client ranges must lie inside the app tier.
            const plan = await planSnippet(() => build({ aws: { allowedClientCidrs: ["10.0.33.0/24"] } }));
            const rules = JSON.stringify(plan.resources.filter((r) => r.type.startsWith("aws:ec2/securityGroup")).map((r) => r.inputs));
            assert.ok(rules.includes("10.0.33.0/24"), rules);
        });
    }
});

/** The bastion needs Azure's subnet named AzureBastionSubnet. */
const BASTION_NETWORK = factsOfPlan(planNetwork("net", { cloud: "azure" }),
    { networkId: VNET, subnetId: (name) => `${VNET}/subnets/${name === "net-bastion" ? "AzureBastionSubnet" : name}` });

describe("a misspelt key in a component's cloud group", () => {
    const CASES: [string, () => unknown, RegExp][] = [
        ["HaRedis", () => ON_AWS[0][1]({ aws: { engin: "redis", allowedClientCidr: ["10.0.0.0/16"] } }),
            /aws\.engin: "redis" is not an arg of aws: did you mean aws\.engine\?[\s\S]*aws\.allowedClientCidr: \["10\.0\.0\.0\/16"\] is not an arg of aws: did you mean aws\.allowedClientCidrs\?/],
        ["HaMongo", () => ON_AZURE[1][1]({ azure: { location: "westeurope", restoreTimestampUTC: "2026-12-01T00:00:00Z" } }),
            /azure\.restoreTimestampUTC: "2026-12-01T00:00:00Z" is not an arg of azure: did you mean azure\.restoreTimestampUtc\?/],
        ["KafkaQuorum", () => ON_AWS[2][1]({ aws: { brokerCounts: 6 } }), /aws\.brokerCounts: 6 is not an arg of aws: did you mean aws\.brokerCount\?/],
        ["BastionHost", () => new BastionHost("bastion", { cloud: "azure", network: BASTION_NETWORK, azure: { jumpbox: true } as never }),
            /azure\.jumpbox: true is not an arg of azure: did you mean azure\.jumpBox\?/],
        ["KubernetesCluster", () => new KubernetesCluster("cluster", { cloud: "aws", network: AWS_NETWORK, aws: { nodeCount: { min: 1 } } as never }),
            /aws\.nodeCount: \{"min":1\} is not an arg of aws: did you mean aws\.nodeCounts\?/],
    ];
    for (const [component, build, expected] of CASES) {
        it(`is refused on ${component} before anything is registered, naming the key as written and the one meant`, async () => {
            assert.match(await refused(build), expected);
        });
    }

    const TOP_LEVEL: [string, () => unknown, RegExp][] = [
        ["HaRedis", () => ON_AWS[0][1]({ replicaPerShard: 2 }), /replicaPerShard: 2 is not an arg: did you mean replicasPerShard\?/],
        ["HaMongo", () => ON_AWS[1][1]({ databasename: "app" }), /databasename: "app" is not an arg: did you mean databaseName\?/],
        ["KafkaQuorum", () => ON_AWS[2][1]({ topic: [] }), /topic: \[\] is not an arg: did you mean topics\?/],
        ["BastionHost", () => new BastionHost("bastion", { cloud: "aws", network: AWS_NETWORK, sshAllowedCidr: ["10.0.0.0/24"] } as never),
            /sshAllowedCidr: \["10\.0\.0\.0\/24"\] is not an arg: did you mean sshAllowedCidrs\?/],
        ["KubernetesCluster", () => new KubernetesCluster("cluster", { cloud: "aws", network: AWS_NETWORK, maxNodePerZone: 4 } as never),
            /maxNodePerZone: 4 is not an arg: did you mean maxNodesPerZone\?/],
    ];
    for (const [component, build, expected] of TOP_LEVEL) {
        it(`is refused at the top level of ${component}, for JavaScript callers`, async () => {
            assert.match(await refused(build), expected);
        });
    }

    it("names the grouped client ranges as written when they are too wide", async () => {
        const grouped = await refused(() => ON_AWS[0][1]({ aws: { allowedClientCidrs: ["10.0.0.0/16"] } }));
        assert.match(grouped, /aws\.allowedClientCidrs\[0\]: "10\.0\.0\.0\/16" is wider than the app tier/);
        const flat = await refused(() => ON_AWS[0][1]({ allowedClientCidrs: ["10.0.0.0/16"] }));
        assert.match(flat, /(^|\s)allowedClientCidrs\[0\]: "10\.0\.0\.0\/16" is wider than the app tier/);
    });
});

describe("the bastion's cloud-specific args", () => {
    it("refuses the Azure-only jump box, zones and location on AWS, grouped or at the top level", async () => {
        const message = await refused(() => new BastionHost("bastion", { cloud: "aws", network: AWS_NETWORK, azure: { zones: ["1", "2", "3"] }, jumpBox: false }));
        assert.match(message, /azure\.zones: \["1","2","3"\] does nothing on aws \(only azure uses it\): the AWS bastion's group spans the public subnets/);
        assert.match(message, /jumpBox: false does nothing on aws \(only azure uses it\): the AWS bastion is itself an instance/);
    });

    it("builds the jump box on Azure from the azure group as from the deprecated top-level keys", async () => {
        const key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGq9mAbt9mZ4lR0mFqk0a3C7t2a7mSXGd4aJUrv1bH2c ops";
        const grouped = await planSnippet(() => new BastionHost("bastion", { cloud: "azure", network: BASTION_NETWORK, sshPublicKey: key, azure: { jumpBox: true, zones: ["1", "2", "3"] } }));
        const flat = await planSnippet(() => new BastionHost("bastion", { cloud: "azure", network: BASTION_NETWORK, sshPublicKey: key, jumpBox: true, zones: ["1", "2", "3"] }));
        assert.deepStrictEqual(grouped.resources, flat.resources);
        assert.ok(grouped.resources.some((r) => r.type === "azure-native:compute:VirtualMachine"), grouped.resources.map((r) => r.type).join(", "));
    });
});

describe("the cluster's cloud-specific args", () => {
    it("refuses the EKS-only keys on Azure and the AKS-only keys on AWS, naming the arg, the value and why", async () => {
        assert.match(await refused(() => new KubernetesCluster("cluster", { cloud: "azure", network: AZURE_NETWORK, aws: { privateEndpointCidrs: ["10.0.0.0/16"] }, logRetentionDays: 90 })),
            /aws\.privateEndpointCidrs: \["10.0.0.0\/16"\] does nothing on azure \(only aws uses it\): the AKS private endpoint is reachable from the whole network[\s\S]*logRetentionDays: 90 does nothing on azure/);
        assert.match(await refused(() => new KubernetesCluster("cluster", { cloud: "aws", network: AWS_NETWORK, azure: { deployerPrincipalType: "User" } })),
            /azure\.deployerPrincipalType: "User" does nothing on aws \(only azure uses it\): EKS grants access by IAM ARN/);
    });
});

describe("a planner's problem with a key of a cloud group", () => {
    // Each planner checks the key by its own name; the message must name the key where the user wrote it.
    const CASES: [string, () => unknown, RegExp, () => unknown, RegExp][] = [
        ["HaRedis's engine", () => ON_AWS[0][1]({ aws: { engine: "memcached" } }), / - aws\.engine: "memcached" is not allowed/,
            () => ON_AWS[0][1]({ engine: "memcached" }), / - engine: "memcached" is not allowed/],
        ["HaMongo's location", () => ON_AZURE[1][1]({ azure: { location: "West Europe" } }), / - azure\.location: "West Europe" must be an ARM location name/,
            () => new HaMongo("users", { cloud: "azure", network: AZURE_NETWORK, location: "West Europe" }), / - location: "West Europe" must be an ARM location name/],
        ["HaMongo's missing location", () => new HaMongo("users", { cloud: "azure", network: AZURE_NETWORK }), / - azure\.location: undefined is required on azure/,
            () => new HaMongo("users", { cloud: "azure", network: AZURE_NETWORK, azure: {} }), / - azure\.location: undefined is required on azure/],
        ["KafkaQuorum's broker count", () => ON_AWS[2][1]({ aws: { brokerCount: 0 } }), / - aws\.brokerCount: 0 /,
            () => ON_AWS[2][1]({ brokerCount: 0 }), / - brokerCount: 0 /],
        ["BastionHost's zones", () => new BastionHost("bastion", { cloud: "azure", network: BASTION_NETWORK, azure: { zones: ["1"] } }), / - azure\.zones: \["1"\] name a single zone/,
            () => new BastionHost("bastion", { cloud: "azure", network: BASTION_NETWORK, zones: ["1"] }), / - zones: \["1"\] name a single zone/],
        ["BastionHost's location", () => new BastionHost("bastion", { cloud: "azure", network: BASTION_NETWORK, azure: { location: "nowhere" } }),
            / - azure\.location: "nowhere" does not offer zone-redundant Azure Bastion: use one of .*, or set azure\.zones to \[\] for a regional Bastion/,
            () => new BastionHost("bastion", { cloud: "azure", network: BASTION_NETWORK, location: "nowhere" }), / - location: "nowhere" does not offer/],
        ["KubernetesCluster's log retention", () => new KubernetesCluster("cluster", { cloud: "aws", network: AWS_NETWORK, aws: { logRetentionDays: 10 } }), / - aws\.logRetentionDays: 10 /,
            () => new KubernetesCluster("cluster", { cloud: "aws", network: AWS_NETWORK, logRetentionDays: 10 }), / - logRetentionDays: 10 /],
    ];
    for (const [what, grouped, groupedMessage, flat, flatMessage] of CASES) {
        it(`names ${what} by its group path when grouped, and by the deprecated key when given so`, async () => {
            assert.match(await refused(grouped), groupedMessage);
            assert.match(await refused(flat), flatMessage);
        });
    }
});

describe("every component's cloud-group table", () => {
    const TABLES: Record<string, CloudArgRules> = {
        HaRedis: REDIS_CLOUD_ARGS, HaMongo: MONGO_CLOUD_ARGS, KafkaQuorum: KAFKA_CLOUD_ARGS, BastionHost: BASTION_CLOUD_ARGS,
        KubernetesCluster: CLUSTER_CLOUD_ARGS, Vpc3Az: NETWORK_CLOUD_ARGS, CookieServices: SERVICES_CLOUD_ARGS,
        "CookieServices ingress": INGRESS_CLOUD_ARGS, "CookieServices forwardCache": FORWARD_CACHE_CLOUD_ARGS,
    };
    for (const [component, rules] of Object.entries(TABLES)) {
        it(`${component}: a group key is at the top level only as its own deprecated alias, so a planner's name for it means one arg`, () => {
            for (const cloud of CLOUDS) {
                for (const key of rules.keys[cloud]) {
                    assert.ok(!rules.topLevel.includes(key) || rules.aliases[cloud].includes(key), `${cloud}.${key} is also an unrelated top-level key`);
                }
                for (const alias of rules.aliases[cloud]) {
                    assert.ok(rules.keys[cloud].includes(alias) && rules.topLevel.includes(alias), `${alias} is an alias but not a key of ${cloud} and the top level`);
                }
                for (const key of Object.keys(rules.elsewhere[cloud])) assert.ok(key === "*" || rules.keys[cloud].includes(key), `${cloud}: a reason for the unknown key ${key}`);
            }
            assert.ok(CLOUDS.filter((c) => rules.keys[c].length > 0).every((c) => rules.topLevel.includes(c)), "every non-empty group is a top-level key");
        });
    }
});
