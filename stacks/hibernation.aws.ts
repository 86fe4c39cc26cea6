/**
 * The live EKS node groups of a deployed cluster, read before the program builds (AWS only: an Azure
 * program never loads it).
 */
import * as eks from "@pulumi/aws/eks";
import { LiveNodeGroup } from "./hibernation";

/**
 * The node groups of `clusterName` as EKS holds them now, or undefined when no such cluster exists in the
 * region. The cluster list comes first: listing or reading the groups of a missing cluster fails
 * (ResourceNotFoundException, https://docs.aws.amazon.com/eks/latest/APIReference/API_ListNodegroups.html),
 * while ListClusters never does, so an up after the cluster was deleted reads nothing and fails nothing.
 */
export async function liveNodeGroups(clusterName: string): Promise<LiveNodeGroup[] | undefined> {
    const clusters = await eks.getClusters({});
    if (!clusters.names.includes(clusterName)) return undefined;
    const listed = await eks.getNodeGroups({ clusterName });
    return Promise.all(listed.names.map(async (nodeGroupName) => {
        const group = await eks.getNodeGroup({ clusterName, nodeGroupName });
        return { name: nodeGroupName, desiredSize: group.scalingConfigs[0]?.desiredSize ?? 0 };
    }));
}
