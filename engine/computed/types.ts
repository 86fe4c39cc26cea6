/**
 * What the mocks know about a resource when they make up its computed
 * attributes, and the shape of a per-type table of such attributes.
 */

/** Facts about the resource being registered and the environment it is registered in. */
export interface MockContext {
    /** Type token, e.g. `aws:ec2/vpc:Vpc`. */
    readonly type: string;
    /** Logical name. */
    readonly name: string;
    /** Deserialized inputs. */
    readonly inputs: Record<string, any>;
    /** The id the mocks gave the resource. */
    readonly id: string;
    /** The cloud name the resource got (autonamed unless set explicitly). */
    readonly physicalName: string;
    /** A short, stable hex string derived from the type and name. */
    readonly hash: string;
    readonly aws: { readonly region: string; readonly accountId: string };
    readonly azure: { readonly location: string; readonly subscriptionId: string; readonly tenantId: string };
}

/** Computed attributes for one resource type, merged over the inputs into the resource's state. */
export type ComputedAttributes = (ctx: MockContext) => Record<string, unknown>;

/** Computed attributes per type token. */
export type ComputedTable = Readonly<Record<string, ComputedAttributes>>;
