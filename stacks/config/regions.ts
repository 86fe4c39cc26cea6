/**
 * Regions the stacks may deploy to. A highly available stack needs a region
 * with at least three availability zones.
 */

/** Azure regions with availability zones (Azure's published list of zone-enabled regions). */
export const AZURE_ZONE_REGIONS: readonly string[] = [
    "australiaeast", "brazilsouth", "canadacentral", "centralindia", "centralus", "eastasia", "eastus", "eastus2",
    "francecentral", "germanywestcentral", "israelcentral", "italynorth", "japaneast", "japanwest", "koreacentral",
    "mexicocentral", "newzealandnorth", "northeurope", "norwayeast", "polandcentral", "qatarcentral", "southafricanorth",
    "southcentralus", "southeastasia", "spaincentral", "swedencentral", "switzerlandnorth", "uaenorth", "uksouth",
    "westeurope", "westus2", "westus3",
];

/** AWS region names: `us-east-1`, `eu-central-2`, `ap-southeast-4`, ... */
export const AWS_REGION_PATTERN = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
