/**
 * The check that the user database's writer in config is the global cluster's writer (AWS, several stamps). After a
 * global failover the primary is another region's cluster; an up that still names the old one (a `writerRegion` set only
 * in a working copy, then an up from the repository) would point every stamp's services at a read-only secondary.
 * The global cluster's members say which one writes (`globalClusterMembers[].isWriter`, @pulumi/aws
 * docdb/globalCluster.d.ts), as the state last read them: only an up with `--refresh` sees a failover made outside it,
 * and the provider reads them right after the create, before any secondary joins. So the state may be stale in either
 * direction, and the message never advises a key change before a refresh and a look at the live global cluster: obeying
 * a stale state would send every write to a read-only (resyncing) cluster, or to a detached, still writable one.
 */

/** The region of an ARN (`arn:aws:rds:<region>:<account>:cluster:<id>`); "" when it has none. */
export function arnRegion(arn: string): string {
    return arn.split(":")[3] ?? "";
}

/** What the writer check compares: the config's writer and the global cluster as the state last read it. */
export interface WriterState {
    /** `intergalactic:mongo.writerRegion`, or its default (the first region). */
    readonly writerRegion: string;
    /** The ARN of the writer region's DocumentDB cluster. */
    readonly clusterArn: string;
    /** The global cluster's identifier (`replicationSource`). */
    readonly globalClusterId: string;
    /** The member the state names as the writer; "" when it names none. */
    readonly writerArn: string;
    /** The members' ARNs in the state. */
    readonly memberArns: readonly string[];
    /** The stack's first region, `writerRegion`'s default. */
    readonly firstRegion: string;
}

/** The state may lag the cloud: what the operator does before anything else. */
const REFRESH_FIRST = "the state may be stale: run `pulumi up --refresh` first";

/**
 * Why the writer region's cluster is not the global cluster's writer, or undefined when it is, or when the state names no
 * writer (no global cluster, or one not read yet). A cluster absent from the members is its own case: the global cluster
 * may no longer hold it (`aws docdb remove-from-global-cluster`), and then no other member is known to be writable.
 */
export function writerMismatch(state: WriterState): string | undefined {
    const { writerRegion, clusterArn, globalClusterId, writerArn, memberArns, firstRegion } = state;
    if (writerArn === "" || writerArn === clusterArn) return undefined;
    const key = `intergalactic:mongo.writerRegion: ${JSON.stringify(writerRegion)} names the cluster ${clusterArn}`;
    const live = `aws docdb describe-global-clusters --global-cluster-identifier ${globalClusterId} --region ${writerRegion}`;
    if (!memberArns.includes(clusterArn)) {
        return `${REFRESH_FIRST}. ${key}, which is not a member of the global cluster ${globalClusterId} in the state. ` +
            `If it is still missing after the refresh, the global cluster no longer holds it (detached by remove-from-global-cluster): ` +
            `it is a standalone cluster that no longer replicates, and this up changes nothing about that; fix it by hand. ` +
            `Do not point writes at another member without checking which one is writable (\`${live}\`, the member with IsWriter true ` +
            `and Status available)`;
    }
    const actual = arnRegion(writerArn);
    const change = actual === firstRegion
        ? `remove intergalactic:mongo.writerRegion from the stack's file (its default is the first region, ${firstRegion})`
        : `set intergalactic:mongo.writerRegion to ${actual} in the stack's file`;
    return `${REFRESH_FIRST}. ${key}, but the state names ${writerArn} (${actual}) as the global cluster's writer. ` +
        `If the refreshed state still does, check the live writer with \`${live}\` before changing the key: ` +
        `only if it shows ${writerArn} with IsWriter true, ${change} and commit that before any up`;
}
