/**
 * BastionHost on Azure: Azure Bastion (Standard SKU, native-client tunneling)
 * in `AzureBastionSubnet` behind a zone-redundant Standard public IP, and
 * optionally a Linux jump box in an app subnet that has no public IP, accepts
 * only key-based SSH and only from the network (and the given ranges).
 */
import * as compute from "@pulumi/azure-native/compute";
import * as network from "@pulumi/azure-native/network";
import * as pulumi from "@pulumi/pulumi";
import { resourceGroupOfId } from "../common/dataStore";
import { childName } from "../common/naming";
import { Size } from "../common/size";
import { TagKeys, Tags, mergeTags } from "../common/tags";
import { InvalidArgumentsError } from "../common/validation";
import { BastionHostImplementation, BastionHostInputs, BastionHostResources } from "./bastionHost";
import { BastionPlan, isAzureBastionSubnetId } from "./bastionPlan";
import { AZURE_BASTION_SUBNET_NAME, JUMP_BOX_ADMIN_USER } from "./layout";

/** Jump box VM size per size: burstable AMD v2 sizes, which support Trusted Launch and premium disks. */
export const AZURE_JUMP_BOX_SIZES: Readonly<Record<Size, string>> = {
    small: "Standard_B2als_v2",
    medium: "Standard_B2as_v2",
    large: "Standard_B4as_v2",
};

/** Ubuntu 24.04 LTS (a Gen2 image, required for Trusted Launch). */
const JUMP_BOX_IMAGE = { publisher: "Canonical", offer: "ubuntu-24_04-lts", sku: "server", version: "latest" } as const;

/** Standard is the smallest SKU with native-client (`az network bastion ssh`) tunneling and scaling. */
const BASTION_SKU = "Standard";
/** Standard's minimum (and default) number of instances. */
const BASTION_SCALE_UNITS = 2;

export class AzureBastionHost implements BastionHostImplementation {
    build(parent: pulumi.Resource, plan: BastionPlan, inputs: BastionHostInputs): BastionHostResources {
        const opts = { parent };
        const tags = (extra: Tags = {}) => mergeTags(undefined, plan.tags, { [TagKeys.Component]: plan.name, ...extra });
        const subnetId = checkedBastionSubnet(plan.name, inputs.subnetIds[0]);
        const resourceGroupName = resourceGroupOfId(subnetId);
        const zones = plan.zones.length > 0 ? [...plan.zones] : undefined;

        const ip = new network.PublicIPAddress(childName(plan.name, "ip"), {
            resourceGroupName,
            sku: { name: "Standard", tier: "Regional" },
            publicIPAllocationMethod: "Static",
            // Azure Bastion requires a Standard public IP whose zones match its own.
            zones,
            tags: tags({ [TagKeys.Tier]: "bastion" }),
        }, opts);
        const bastion = new network.BastionHost(childName(plan.name, "bastion"), {
            resourceGroupName,
            sku: { name: BASTION_SKU },
            scaleUnits: BASTION_SCALE_UNITS,
            zones,
            ipConfigurations: [{ name: "ipconfig", subnet: { id: subnetId }, publicIPAddress: { id: ip.id }, privateIPAllocationMethod: "Dynamic" }],
            enableTunneling: true,
            // Links that let anyone with the URL connect, and connections to arbitrary IPs, stay off.
            enableShareableLink: false,
            enableIpConnect: false,
            tags: tags({ [TagKeys.Tier]: "bastion" }),
        }, opts);

        const jumpBox = plan.jumpBox ? this.jumpBox(plan, inputs, resourceGroupName, tags, opts) : undefined;
        const target = jumpBox ? pulumi.interpolate` --target-resource-id ${jumpBox.id}` : pulumi.output(" --target-resource-id <vm id>");
        return {
            hostId: bastion.id,
            publicIp: ip.ipAddress.apply((address) => address ?? ""),
            jumpBoxId: jumpBox?.id,
            connectionHint: pulumi.interpolate`az network bastion ssh --name ${bastion.name} --resource-group ${resourceGroupName}${target} --auth-type ssh-key --username ${JUMP_BOX_ADMIN_USER} --ssh-key <private key file>`,
        };
    }

    /** A Linux VM without a public IP: SSH key login only, reached through the Bastion. */
    private jumpBox(
        plan: BastionPlan, inputs: BastionHostInputs, resourceGroupName: pulumi.Output<string>,
        tags: (extra?: Tags) => Tags, opts: pulumi.CustomResourceOptions,
    ): compute.VirtualMachine {
        const name = childName(plan.name, "jump");
        const nsg = new network.NetworkSecurityGroup(childName(name, "nsg"), {
            resourceGroupName,
            securityRules: plan.jumpBoxRules.map((rule) => ({ ...rule })),
            tags: tags({ [TagKeys.Tier]: "app" }),
        }, opts);
        const nic = new network.NetworkInterface(childName(name, "nic"), {
            resourceGroupName,
            ipConfigurations: [{
                name: "ipconfig", primary: true, subnet: { id: inputs.jumpBoxSubnetId! }, privateIPAllocationMethod: "Dynamic",
                // The group the app subnet's NSG admits sshAllowedCidrs to.
                applicationSecurityGroups: inputs.jumpBoxSecurityGroupId !== undefined ? [{ id: inputs.jumpBoxSecurityGroupId }] : undefined,
            }],
            networkSecurityGroup: { id: nsg.id },
            tags: tags({ [TagKeys.Tier]: "app", [TagKeys.Zone]: plan.jumpBoxZone }),
        }, opts);
        return new compute.VirtualMachine(name, {
            resourceGroupName,
            zones: [plan.jumpBoxZone],
            hardwareProfile: { vmSize: AZURE_JUMP_BOX_SIZES[plan.size] },
            storageProfile: {
                imageReference: { ...JUMP_BOX_IMAGE },
                // Managed disks are encrypted at rest with platform-managed keys.
                osDisk: { createOption: "FromImage", caching: "ReadWrite", deleteOption: "Delete", managedDisk: { storageAccountType: "StandardSSD_LRS" } },
            },
            osProfile: {
                computerName: "jumpbox",
                adminUsername: JUMP_BOX_ADMIN_USER,
                linuxConfiguration: {
                    disablePasswordAuthentication: true,
                    provisionVMAgent: true,
                    ssh: { publicKeys: [{ path: `/home/${JUMP_BOX_ADMIN_USER}/.ssh/authorized_keys`, keyData: plan.sshPublicKey! }] },
                },
            },
            networkProfile: { networkInterfaces: [{ id: nic.id, primary: true, deleteOption: "Delete" }] },
            securityProfile: { securityType: "TrustedLaunch", uefiSettings: { secureBootEnabled: true, vTpmEnabled: true } },
            diagnosticsProfile: { bootDiagnostics: { enabled: true } },
            tags: tags({ [TagKeys.Tier]: "app", [TagKeys.Zone]: plan.jumpBoxZone }),
        }, opts);
    }
}

/**
 * The Bastion's subnet id, failing the deployment with a clear message when it is not an
 * AzureBastionSubnet (an id known only at deployment time cannot be checked by the planner).
 */
function checkedBastionSubnet(name: string, id: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.output(id).apply((value) => {
        if (!isAzureBastionSubnetId(value)) {
            throw new InvalidArgumentsError(`BastionHost "${name}"`, [
                `subnets[0].id: ${JSON.stringify(value)} is not an ${AZURE_BASTION_SUBNET_NAME}: Azure Bastion can only be deployed to a subnet named ${AZURE_BASTION_SUBNET_NAME}`,
            ]);
        }
        return value;
    });
}
