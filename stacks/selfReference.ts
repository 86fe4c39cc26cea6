/**
 * The name under which a stack's program reads its own last outputs (a StackReference to itself).
 */
import * as pulumi from "@pulumi/pulumi";

/** What `pulumi.getOrganization()` returns on a self-managed (DIY) backend, which has no organizations (pkg/backend/diy/state.go). */
export const DIY_ORGANIZATION = "organization";

/**
 * A name every backend resolves to the current stack. A self-managed backend's legacy layout parses the whole
 * name as a stack name (pulumi/pulumi pkg/backend/diy/store.go, legacyReferenceStore.ParseReference, then
 * tokens.ParseStackName: only letters, digits, `-`, `_`, `.`), so `organization/<project>/<stack>` fails there;
 * the bare stack name resolves on both of its layouts (the project layout takes the project from Pulumi.yaml).
 * Pulumi Cloud resolves a bare name in the user's default organization (pkg/backend/httpstate ParseStackReference),
 * which need not be the stack's, so there the full `<org>/<project>/<stack>` name is used.
 */
export function selfReferenceName(organization = pulumi.getOrganization(), project = pulumi.getProject(), stack = pulumi.getStack()): string {
    return organization === DIY_ORGANIZATION ? stack : `${organization}/${project}/${stack}`;
}
