/**
 * Defaults and documented platform limits of the bastion, shared by the
 * planner and both cloud implementations.
 */
import { Size } from "../common/size";

/** Defaults applied when an arg is omitted. */
export const BastionDefaults = {
    /** A bastion carries a few interactive sessions; the smallest tier is enough. */
    size: Size.Small as Size,
    /** Azure's logical zones: a zone-redundant Bastion and public IP span all three. */
    zones: ["1", "2", "3"] as readonly string[],
    jumpBoxZone: "1",
} as const;

/** Azure's logical availability zones. */
export const AZURE_ZONES: readonly string[] = ["1", "2", "3"];

/** The subnet Azure Bastion must be deployed to: Azure requires exactly this name. */
export const AZURE_BASTION_SUBNET_NAME = "AzureBastionSubnet";

/**
 * Regions where Azure Bastion can be deployed zone-redundantly ("Reliability in Azure
 * Bastion", regions supported). Elsewhere a Bastion with zones fails to deploy.
 */
export const AZURE_BASTION_ZONE_REGIONS: readonly string[] = [
    "canadacentral", "centralus", "eastus", "eastus2", "westus2", "mexicocentral",
    "northeurope", "swedencentral", "uksouth", "westeurope", "norwayeast", "italynorth", "spaincentral",
    "qatarcentral", "israelcentral", "southafricanorth", "australiaeast", "koreacentral",
];

/** The login user of the Azure jump box; `az network bastion ssh --username` takes it. */
export const JUMP_BOX_ADMIN_USER = "azureuser";

/** SSH public key types both EC2 key pairs and Azure Linux VMs accept. */
export const SSH_KEY_TYPES: readonly string[] = ["ssh-rsa", "ssh-ed25519"];
