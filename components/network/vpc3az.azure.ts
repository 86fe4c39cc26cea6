/**
 * Vpc3Az on Azure: a resource group and VNet, one app subnet per zone each with
 * its own zonal NAT gateway (Azure's documented zone-isolated NAT pattern: a
 * subnet takes one NAT gateway and a NAT gateway lives in one zone), regional
 * gateway, data and `AzureBastionSubnet` subnets, and a least-privilege NSG per tier.
 */
import * as network from "@pulumi/azure-native/network";
import * as resources from "@pulumi/azure-native/resources";
import * as pulumi from "@pulumi/pulumi";
import { childName, zoneLabel } from "../common/naming";
import { TagKeys, Tags, mergeTags } from "../common/tags";
import { AZURE_BASTION_SUBNET, Tier } from "./layout";
import { NetworkPlan } from "./networkPlan";
import { armSecurityRule, nsgRulesFor } from "./nsgRules";
import { Vpc3AzImplementation, Vpc3AzInputs, Vpc3AzResources } from "./vpc3az";

export class AzureVpc3Az implements Vpc3AzImplementation {
    build(parent: pulumi.Resource, plan: NetworkPlan, _inputs: Vpc3AzInputs): Vpc3AzResources {
        const opts = { parent };
        const tags = (extra: Tags = {}) => mergeTags(undefined, plan.tags, { [TagKeys.Component]: plan.name, ...extra });

        const group = new resources.ResourceGroup(childName(plan.name, "rg"), { tags: tags() }, opts);
        const resourceGroupName = group.name;
        const vnet = new network.VirtualNetwork(childName(plan.name, "vnet"), {
            resourceGroupName,
            addressSpace: { addressPrefixes: [plan.cidrBlock] },
            tags: tags(),
        }, opts);

        const rules = nsgRulesFor(plan, plan.admission);
        // The jump box's NIC joins this group, so the app NSG can admit outside SSH ranges to it alone.
        const jumpBoxGroup = plan.admission.jumpBoxSshCidrs.length > 0
            ? new network.ApplicationSecurityGroup(childName(plan.name, "jump-asg"), { resourceGroupName, tags: tags({ [TagKeys.Tier]: Tier.App }) }, opts)
            : undefined;
        const nsgs = Object.fromEntries(Object.entries(rules).map(([role, roleRules]) => [role,
            new network.NetworkSecurityGroup(childName(plan.name, "nsg", role), {
                resourceGroupName,
                securityRules: roleRules.map((rule) => armSecurityRule(rule, jumpBoxGroup?.id)),
                tags: tags({ [TagKeys.Tier]: role }),
            }, opts)])) as Record<Tier | "bastion", network.NetworkSecurityGroup>;

        const natByZone = new Map<string, network.NatGateway>();
        const egressIps: pulumi.Output<string>[] = [];
        for (const nat of plan.nats) {
            const ip = new network.PublicIPAddress(childName(plan.name, "nat-ip", zoneLabel(nat.zone)), {
                resourceGroupName,
                sku: { name: "Standard", tier: "Regional" },
                publicIPAllocationMethod: "Static",
                zones: [nat.zone],
                tags: tags({ [TagKeys.Zone]: nat.zone }),
            }, opts);
            egressIps.push(ip.ipAddress.apply((a) => a ?? ""));
            const gateway = new network.NatGateway(nat.name, {
                resourceGroupName,
                sku: { name: "Standard" },
                zones: [nat.zone],
                publicIpAddresses: [{ id: ip.id }],
                idleTimeoutInMinutes: 4,
                tags: tags({ [TagKeys.Zone]: nat.zone }),
            }, opts);
            for (const served of nat.serves) natByZone.set(served, gateway);
        }

        // Subnets of one VNet must be created one at a time: Azure rejects concurrent
        // subnet writes on the same VNet ("AnotherOperationInProgress").
        let previous: network.Subnet | undefined;
        const subnetIds: Record<string, pulumi.Output<string>> = {};
        for (const spec of plan.subnets) {
            const nat = natByZone.get(spec.name);
            const subnet: network.Subnet = new network.Subnet(spec.name, {
                resourceGroupName,
                virtualNetworkName: vnet.name,
                subnetName: spec.tier === "bastion" ? AZURE_BASTION_SUBNET : spec.zone ? `${spec.tier}-${zoneLabel(spec.zone)}` : spec.tier,
                addressPrefix: spec.cidr,
                networkSecurityGroup: { id: nsgs[spec.tier].id },
                natGateway: nat ? { id: nat.id } : undefined,
                // No implicit internet egress: the app tier leaves through its NAT gateway, the data tier not at all.
                defaultOutboundAccess: false,
                // Lets the data tier's NSG apply to private endpoints.
                privateEndpointNetworkPolicies: spec.tier === Tier.Data ? "Enabled" : undefined,
            }, { ...opts, dependsOn: previous ? [previous] : [] });
            subnetIds[spec.name] = subnet.id;
            previous = subnet;
        }
        // The resource group's location output, not the configured one: azure-native fills a missing location from
        // the resource's old inputs before the config (pulumi-azure-native provider.go getDefaultLocation), so after a
        // change of azure-native:location the group and its VNet stay where they are, and so must what is placed in
        // them. The group, not the VNet: the data stores already wait for it, and need not wait for the VNet too
        // (tools/estimate/spinUp.test.ts). In ARM's canonical spelling, as ARM returns it ("West Europe" is westeurope).
        const location = group.location.apply((at) => (at ?? "").toLowerCase().replace(/\s/g, ""));
        return { networkId: vnet.id, subnetIds, resourceGroupName, jumpBoxSecurityGroupId: jumpBoxGroup?.id, egressIps, location };
    }
}
