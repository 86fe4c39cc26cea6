/**
 * Child resource names. A child's name is part of its URN, so these names are
 * a contract: changing one replaces the resource. Names are built from the
 * component name, the child's role and, for zonal children, the zone's
 * position-independent label, never from list indexes that shift when a
 * layout changes.
 */

/** `${component}-${role}` or `${component}-${role}-${zone}`. */
export function childName(component: string, role: string, zone?: string): string {
    return zone === undefined ? `${component}-${role}` : `${component}-${role}-${zone}`;
}

/**
 * A short, stable label for a zone: the AZ letter on AWS (`us-east-1a` -> `a`)
 * and the zone number on Azure (`1` -> `z1`), so names stay valid and short.
 */
export function zoneLabel(zone: string): string {
    if (/^\d+$/.test(zone)) return `z${zone}`;
    const aws = /^[a-z]{2}(-[a-z]+)+-\d+([a-z]+)$/.exec(zone);
    if (aws) return aws[2];
    const localZone = /-([a-z0-9]+)$/.exec(zone);
    return localZone ? localZone[1] : zone;
}

/**
 * A name for a cloud resource that has a tight length and character limit
 * (e.g. ElastiCache ids: 40 chars, lowercase letters, digits and hyphens).
 * Lowercases, replaces other characters with hyphens and trims to `max`.
 */
export function physicalName(name: string, max: number): string {
    const cleaned = name.toLowerCase().replace(/[^a-z0-9-]/g, "-").replace(/-+/g, "-").replace(/^-|-$/g, "");
    return cleaned.slice(0, max).replace(/-$/, "");
}
