/**
 * Outputs that resolve only once other resources exist, so that whatever takes
 * them as inputs is ordered after those resources on create and before them on
 * destroy, without naming them in each consumer's dependsOn.
 */
import * as pulumi from "@pulumi/pulumi";

/**
 * `value`, resolving only once every resource in `gates` exists. Resources that take it as an input
 * (a provider made from a kubeconfig, and through it every object deployed with that provider) then
 * depend on the gates: the engine creates them after the gates and deletes them before.
 */
export function gatedOn<T>(value: pulumi.Output<T>, gates: pulumi.Resource[]): pulumi.Output<T> {
    return pulumi.all(gates.map((g) => g.urn)).apply(() => value);
}
