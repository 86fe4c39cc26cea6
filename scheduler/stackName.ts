/**
 * A stack's own name, as its stack file and the snapshots it arms know it: `--stack` takes the short form
 * (`dev`) as well as the qualified ones Pulumi accepts (`myorg/dev`, `myorg/intergalactic/dev`), and both
 * must arm, tag and find the same snapshots (Pulumi names the stack file `Pulumi.<stack>.yaml` after the
 * last part alone).
 */
export function shortStackName(stack: string): string {
    return stack.split("/").pop() || stack;
}
