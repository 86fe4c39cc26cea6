/**
 * What Azure requires of the Azure stacks' real plans, beyond what the mocks accept: ARM's field
 * forms, the flows the platform and the cluster need through the NSGs, and the settings the
 * services need to work as the stack says. Sources are in README "What the cloud requires".
 */
import * as assert from "assert";
import { isPortRange } from "../../components/common/ports";
import { mustParseCidr, overlaps } from "../../components/network/cidr";
import { isListableAddress } from "../../components/network/nsgRules";
import { ROOT } from "../../engine/planStack";
import { stackNames, stackStampPlan } from "../../engine/testing/plan";
import { Plan, PlannedResource } from "../../engine/format";
import { loadStackFiles } from "../../engine/stackFiles";
import { AZURE_PLATFORM_ADDRESS, AzureAddressSpace, admits, admitsAt, addressIn } from "./azureFlows";

const AZURE_STACKS = stackNames("azure");
const NSG = "azure-native:network:NetworkSecurityGroup";

const ofType = (plan: Plan, type: string) => plan.resources.filter((r) => r.type === type);
const only = (plan: Plan, type: string): PlannedResource => {
    const found = ofType(plan, type);
    assert.strictEqual(found.length, 1, `one ${type}`);
    return found[0];
};

/** A config override: the stack's own value of `key` with `patch` merged in. */
export function patched(stack: string, key: string, patch: Record<string, unknown>): Record<string, string> {
    const base = loadStackFiles(ROOT, stack).config[`intergalactic:${key}`];
    return { [`intergalactic:${key}`]: JSON.stringify({ ...(base ? JSON.parse(base) : {}), ...patch }) };
}

const subnetCidr = (plan: Plan, name: string) => String(plan.resources.find((r) => r.type === "azure-native:network:Subnet" && r.name === name)!.inputs.addressPrefix);
const podCidr = (plan: Plan) => String((only(plan, "azure-native:containerservice:ManagedCluster").inputs.networkProfile as Record<string, unknown>).podCidr);

/** The rule fields ARM pairs as singular and list; the list only takes addresses or port ranges. */
const FIELD_PAIRS = [
    ["sourceAddressPrefix", "sourceAddressPrefixes", isListableAddress],
    ["destinationAddressPrefix", "destinationAddressPrefixes", isListableAddress],
    ["sourcePortRange", "sourcePortRanges", isPortRange],
    ["destinationPortRange", "destinationPortRanges", isPortRange],
] as const;

/** Every problem ARM would reject in the security rules of the plan's NSGs. */
function fieldFormProblems(plan: Plan): string[] {
    return ofType(plan, NSG).flatMap((nsg) => ((nsg.inputs.securityRules ?? []) as Record<string, unknown>[]).flatMap((rule) =>
        FIELD_PAIRS.flatMap(([single, list, listable]) => {
            const where = `${nsg.name} ${String(rule.name)}`;
            const values = rule[list];
            // An application security group takes the place of a destination address.
            const groups = single === "destinationAddressPrefix" && rule.destinationApplicationSecurityGroups !== undefined ? 1 : 0;
            if ([rule[single], values].filter((v) => v !== undefined).length + groups !== 1) return [`${where}: set exactly one of ${single} and ${list}${groups ? " (or the destination groups)" : ""}`];
            if (values === undefined) return [];
            const entries = values as string[];
            if (entries.length === 0) return [`${where}: ${list} is empty`];
            return entries.filter((v) => !listable(v)).map((v) => `${where}: ${list} holds ${v} (service tags and * only go in ${single})`);
        })));
}

for (const stack of AZURE_STACKS) {
    describe(`what Azure requires of the ${stack} stack`, () => {
        let plan: Plan;
        before(async () => {
            plan = await stackStampPlan(stack, "");
        });

        describe("network security groups", () => {
            it("put service tags and * only in ARM's singular fields, and only addresses and port ranges in its lists", async () => {
                const withJumpBox = await stackStampPlan(stack, "", patched(stack, "bastion", {
                    jumpBox: true, sshAllowedCidrs: ["192.168.10.0/24"], sshPublicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl ops",
                }));
                for (const p of [plan, withJumpBox]) {
                    assert.ok(ofType(p, NSG).length >= 4);
                    assert.deepStrictEqual(fieldFormProblems(p), []);
                }
            });

            it("let pods resolve names through CoreDNS in another zone over UDP and TCP 53", () => {
                const pods = podCidr(plan);
                for (const protocol of ["Udp", "Tcp"] as const) {
                    const query = { from: addressIn(pods, 5), to: addressIn(pods, 2 * 256 + 7), protocol, port: 53 };
                    assert.strictEqual(admits(plan, "net-app-z2", query), true, `pod to CoreDNS over ${protocol}`);
                }
            });

            it("let nodes and pods of every zone reach each other on any protocol, as Azure CNI Overlay requires", () => {
                const pods = podCidr(plan);
                const [a, b] = [subnetCidr(plan, "net-app-z1"), subnetCidr(plan, "net-app-z3")];
                const flows = [
                    { from: addressIn(a, 4), to: addressIn(b, 4), protocol: "Udp", port: 8472 },
                    { from: addressIn(a, 4), to: addressIn(pods, 300), protocol: "Udp", port: 5353 },
                    { from: addressIn(pods, 9), to: addressIn(b, 5), protocol: "Tcp", port: 10250 },
                ] as const;
                for (const flow of flows) assert.strictEqual(admits(plan, "net-app-z3", flow), true, JSON.stringify(flow));
            });

            it("admit Azure's load balancer probes and platform address to the workers on any protocol", () => {
                const node = addressIn(subnetCidr(plan, "net-app-z1"), 4);
                for (const protocol of ["Tcp", "Udp"] as const) {
                    assert.strictEqual(admits(plan, "net-app-z1", { from: AZURE_PLATFORM_ADDRESS, to: node, protocol, port: 31080 }), true);
                }
            });

            it("still keep the data tier closed to everything but the app tier's nodes on the data ports", () => {
                const endpoint = addressIn(subnetCidr(plan, "net-data"), 4);
                const node = addressIn(subnetCidr(plan, "net-app-z1"), 4);
                assert.strictEqual(admits(plan, "net-data", { from: node, to: endpoint, protocol: "Tcp", port: 10000 }), true);
                assert.match(String(admits(plan, "net-data", { from: node, to: endpoint, protocol: "Udp", port: 53 })), /DenyAllInbound/);
                assert.match(String(admits(plan, "net-data", { from: addressIn(podCidr(plan), 5), to: endpoint, protocol: "Tcp", port: 10000 })), /DenyAllInbound/);
                assert.match(String(admits(plan, "net-data", { from: "203.0.113.9", to: endpoint, protocol: "Tcp", port: 10000 })), /DenyAllInbound/);
            });

            it("let the jump box's sshAllowedCidrs through the app subnet's NSG to the jump box alone, and keep bastion -> jump box -> nodes open", async () => {
                const withJumpBox = await stackStampPlan(stack, "", patched(stack, "bastion", {
                    jumpBox: true, sshAllowedCidrs: ["192.168.10.0/24"], sshPublicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl ops",
                }));
                const nic = only(withJumpBox, "azure-native:network:NetworkInterface");
                const config = (nic.inputs.ipConfigurations as Record<string, unknown>[])[0];
                const groups = ((config.applicationSecurityGroups ?? []) as { id: string }[]).map((g) => g.id);
                const nicNsg = withJumpBox.resources.find((r) => r.type === NSG && r.id === (nic.inputs.networkSecurityGroup as { id: string }).id)!;
                const space = AzureAddressSpace.of(withJumpBox);
                const jumpBox = { to: addressIn(subnetCidr(withJumpBox, "net-app-z1"), 250), toGroups: groups };
                const ssh = (from: string, to: { to: string; toGroups?: string[] }) => ({ from, ...to, protocol: "Tcp" as const, port: 22 });
                for (const from of ["192.168.10.7", addressIn(subnetCidr(withJumpBox, "net-bastion"), 5)]) {
                    assert.strictEqual(admits(withJumpBox, "net-app-z1", ssh(from, jumpBox)), true, `subnet NSG: ${from} to the jump box`);
                    assert.strictEqual(admitsAt(nicNsg, ssh(from, jumpBox), space), true, `NIC NSG: ${from} to the jump box`);
                }
                // Only the jump box: the same range reaches no node.
                assert.match(String(admits(withJumpBox, "net-app-z2", ssh("192.168.10.7", { to: addressIn(subnetCidr(withJumpBox, "net-app-z2"), 4) }))), /DenyAllInbound/);
                assert.strictEqual(admits(withJumpBox, "net-app-z2", ssh(jumpBox.to, { to: addressIn(subnetCidr(withJumpBox, "net-app-z2"), 4) })), true, "jump box to a node");
            });

            it("open Azure Managed Redis' OSS cluster node ports 8500-8599 to the app tier when the cache has several shards", async () => {
                const sharded = await stackStampPlan(stack, "", patched(stack, "redis", { shards: 2 }));
                const policy = (only(sharded, "azure-native:redisenterprise:Database").inputs.clusteringPolicy);
                assert.strictEqual(policy, "OSSCluster");
                const endpoint = addressIn(subnetCidr(sharded, "net-data"), 4);
                const node = addressIn(subnetCidr(sharded, "net-app-z2"), 4);
                for (const port of [10000, 8500, 8599]) {
                    assert.strictEqual(admits(sharded, "net-data", { from: node, to: endpoint, protocol: "Tcp", port }), true, `port ${port}`);
                }
                // One shard keeps the Enterprise policy: its single port only.
                assert.match(String(admits(plan, "net-data", { from: node, to: endpoint, protocol: "Tcp", port: 8500 })), /DenyAllInbound/);
            });
        });

        describe("the AKS cluster", () => {
            it("refuses a network without NAT gateways, through which the cluster's outbound type sends all egress", async () => {
                const profile = only(plan, "azure-native:containerservice:ManagedCluster").inputs.networkProfile as Record<string, unknown>;
                assert.strictEqual(profile.outboundType, "userAssignedNATGateway");
                await assert.rejects(stackStampPlan(stack, "", patched(stack, "network", { natStrategy: "None" })),
                    /intergalactic:network\.natStrategy: "None" leaves the app subnets without NAT gateways, but the AKS cluster's outbound type is userAssignedNATGateway/);
            });

            it("serves the ingress certificate from Key Vault: secrets provider add-on on, the app routing identity reads the vault", () => {
                const aks = only(plan, "azure-native:containerservice:ManagedCluster");
                const addon = (aks.inputs.addonProfiles as Record<string, { enabled: boolean; config?: Record<string, string> }> | undefined)?.azureKeyvaultSecretsProvider;
                assert.deepStrictEqual(addon, { enabled: true, config: { enableSecretRotation: "true", rotationPollInterval: "2m" } });
                const ingress = only(plan, "kubernetes:networking.k8s.io/v1:Ingress");
                const uri = String((ingress.inputs.metadata as { annotations: Record<string, string> }).annotations["kubernetes.azure.com/tls-cert-keyvault-uri"]);
                const vault = /^https:\/\/([^.]+)\./.exec(uri)![1];
                const identity = (aks.outputs.ingressProfile as { webAppRouting: { identity: { objectId: string } } }).webAppRouting.identity.objectId;
                const grants = ofType(plan, "azure-native:authorization:RoleAssignment").filter((r) => String(r.inputs.scope).endsWith(`/providers/Microsoft.KeyVault/vaults/${vault}`));
                assert.deepStrictEqual(grants.map((g) => [g.inputs.principalId, g.inputs.principalType, String(g.inputs.roleDefinitionId).split("/").pop()]), [
                    [identity, "ServicePrincipal", "4633458b-17de-408a-b874-0445c86b69e6"],
                    [identity, "ServicePrincipal", "db79e9a7-68ee-4b58-9aeb-b90e7c24fcba"],
                ]);
            });

            it("refuses a Key Vault certificate without the vault's resource id, or with another vault's", async () => {
                const services = JSON.parse(loadStackFiles(ROOT, stack).config["intergalactic:services"]);
                const { keyVaultId: _omitted, ...withoutId } = services;
                await assert.rejects(stackStampPlan(stack, "", { "intergalactic:services": JSON.stringify(withoutId) }), /services\.keyVaultId: missing: the resource id of the vault in keyVaultCertificateUri/);
                const other = { ...services, keyVaultId: String(services.keyVaultId).replace(/vaults\/.*$/, "vaults/another-kv") };
                await assert.rejects(stackStampPlan(stack, "", { "intergalactic:services": JSON.stringify(other) }), /is vault another-kv, but keyVaultCertificateUri .* is in another vault/);
            });

            it("runs Azure CNI Overlay powered by Cilium, with a pod range outside the network, instead of the retiring Azure Network Policy Manager", () => {
                const profile = only(plan, "azure-native:containerservice:ManagedCluster").inputs.networkProfile as Record<string, unknown>;
                assert.deepStrictEqual([profile.networkPlugin, profile.networkPluginMode, profile.networkDataplane, profile.networkPolicy], ["azure", "overlay", "cilium", "cilium"]);
                const vnet = only(plan, "azure-native:network:VirtualNetwork").inputs.addressSpace as { addressPrefixes: string[] };
                const pods = podCidr(plan);
                assert.ok(!vnet.addressPrefixes.some((prefix) => overlaps(mustParseCidr(prefix), mustParseCidr(pods))), `${pods} is outside ${vnet.addressPrefixes.join(", ")}`);
            });
        });

        describe("the Front Door forward cache", () => {
            const cacheOn = (extra: Record<string, unknown> = {}) => {
                const services = JSON.parse(loadStackFiles(ROOT, stack).config["intergalactic:services"]);
                const origin = `origin.${String(services.host)}`;
                // In one region: with several, the global entry serves the host, which the forward cache would claim too.
                return { "intergalactic:regions": JSON.stringify([loadStackFiles(ROOT, stack).config["azure-native:location"]]), "intergalactic:services": JSON.stringify({ ...services, forwardCache: { enabled: true, originHostname: origin, ...extra } }) };
            };

            it("serves the service host as a custom domain of the route, with a managed TLS 1.2 certificate", async () => {
                const cached = await stackStampPlan(stack, "", cacheOn());
                const host = JSON.parse(loadStackFiles(ROOT, stack).config["intergalactic:services"]).host;
                const domain = only(cached, "azure-native:cdn:AFDCustomDomain");
                assert.deepStrictEqual([domain.inputs.hostName, domain.inputs.tlsSettings], [host, { certificateType: "ManagedCertificate", minimumTlsVersion: "TLS12" }]);
                assert.match(String(domain.inputs.customDomainName), /^[a-zA-Z0-9]+(-[a-zA-Z0-9]+)*$/);
                assert.deepStrictEqual(only(cached, "azure-native:cdn:Route").inputs.customDomains, [{ id: domain.id }]);
                // The records the operator creates: the CNAME to Front Door and the TXT record that validates the domain.
                const endpoint = only(cached, "azure-native:cdn:AFDEndpoint");
                const token = (domain.outputs.validationProperties as { validationToken: string }).validationToken;
                assert.deepStrictEqual(cached.stackOutputs.forwardCacheDnsRecords, [
                    { name: host, type: "CNAME", value: endpoint.outputs.hostName },
                    { name: `_dnsauth.${host}`, type: "TXT", value: token },
                ]);
            });

            it("refuses maxTtlSeconds, which Front Door cannot apply, naming the key", async () => {
                await assert.rejects(stackStampPlan(stack, "", cacheOn({ maxTtlSeconds: 300 })), /intergalactic:services\.forwardCache\.maxTtlSeconds: .*Front Door keeps a response for the origin's Cache-Control max-age and cannot cap it/);
            });
        });

        describe("the Cosmos DB account", () => {
            it("refuses metadata writes (databases, collections, throughput) through account keys, which the CanNotDelete lock does not stop", () => {
                const account = only(plan, "azure-native:cosmosdb:DatabaseAccount");
                assert.strictEqual(account.inputs.disableKeyBasedMetadataWriteAccess, true);
            });
        });
    });
}
