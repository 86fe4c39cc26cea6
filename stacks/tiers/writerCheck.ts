/**
 * The check that the user database's writer in config is the global cluster's writer (AWS, several stamps). After a
 * global failover the primary is another region's cluster; an up that still names the old one (a `writerRegion` set only
 * in a working copy, then an up from the repository) would point every stamp's services at a read-only secondary.
 * The global cluster's members say which one writes (`globalClusterMembers[].isWriter`, @pulumi/aws
 * docdb/globalCluster.d.ts), as the state last read them: only an up with `--refresh` sees a failover made outside it.
 */

/** The region of an ARN (`arn:aws:rds:<region>:<account>:cluster:<id>`); "" when it has none. */
export function arnRegion(arn: string): string {
    return arn.split(":")[3] ?? "";
}

/**
 * Why the writer region's cluster (`clusterArn`) is not the global cluster's writer (`writerArn`), or undefined when it
 * is, or when the state names no writer (no global cluster, or one not read yet).
 */
export function writerMismatch(writerRegion: string, clusterArn: string, writerArn: string, firstRegion: string): string | undefined {
    if (writerArn === "" || writerArn === clusterArn) return undefined;
    const actual = arnRegion(writerArn);
    const fix = actual === firstRegion
        ? `remove intergalactic:mongo.writerRegion from the stack's file (its default is the first region, ${firstRegion}) and commit that`
        : `set intergalactic:mongo.writerRegion to ${actual} in the stack's file and commit it`;
    return `intergalactic:mongo.writerRegion: ${JSON.stringify(writerRegion)} names the cluster ${clusterArn}, but the global cluster's writer is ` +
        `${writerArn} (${actual}) in its globalClusterMembers as the state last read them: ${fix} before any up; ` +
        `if the state was last read before a failover or fail-back, run the up with --refresh`;
}
