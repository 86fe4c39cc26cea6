/**
 * What the component sources document, read syntactically (no type checker, so
 * it takes milliseconds): every ComponentResource class, its args interface
 * with inherited members and TSDoc, and its public output members. The schema
 * test compares the schema Pulumi infers against this.
 */
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

/** One documented member of an args interface or a component class. */
export interface DocumentedMember {
    readonly name: string;
    readonly optional: boolean;
    /** The TSDoc text without tags, whitespace collapsed; empty when undocumented. */
    readonly description: string;
    /** The `@default` tag's text, or undefined when there is none. */
    readonly defaultValue?: string;
    /** The members of the interface the member's type names (e.g. a cloud group `aws?: HaRedisAwsArgs`); undefined for other types. */
    readonly fields?: readonly DocumentedMember[];
}

/** A component class as its source declares it. */
export interface ComponentSource {
    readonly className: string;
    /** The file that declares it, relative to the repository root. */
    readonly file: string;
    /** The type token passed to `super(...)`. */
    readonly token: string;
    readonly argsInterface: string;
    readonly inputs: readonly DocumentedMember[];
    readonly outputs: readonly DocumentedMember[];
}

const parsed = new Map<string, ts.SourceFile>();

function parse(file: string): ts.SourceFile {
    let source = parsed.get(file);
    if (!source) {
        source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
        parsed.set(file, source);
    }
    return source;
}

/** Collapses whitespace so that re-wrapped comments compare equal. */
export function normalize(text: string): string {
    return text.replace(/\s+/g, " ").trim();
}

function documentation(node: ts.Node): { description: string; defaultValue?: string } {
    const docs = ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc);
    const description = normalize(docs.map((d) => ts.getTextOfJSDocComment(d.comment) ?? "").join("\n"));
    const tag = docs.flatMap((d) => [...(d.tags ?? [])]).find((t) => t.tagName.text === "default");
    return { description, defaultValue: tag ? normalize(ts.getTextOfJSDocComment(tag.comment) ?? "") : undefined };
}

function memberName(member: ts.TypeElement | ts.ClassElement): string | undefined {
    return member.name && (ts.isIdentifier(member.name) || ts.isStringLiteral(member.name)) ? member.name.text : undefined;
}

/** The file a name is imported from in `source`, resolved to a `.ts` path; undefined when it is not imported. */
function importedFrom(source: ts.SourceFile, name: string): string | undefined {
    for (const statement of source.statements) {
        if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
        const bindings = statement.importClause?.namedBindings;
        if (bindings && ts.isNamedImports(bindings) && bindings.elements.some((e) => e.name.text === name)) {
            return path.resolve(path.dirname(source.fileName), `${statement.moduleSpecifier.text}.ts`);
        }
    }
    return undefined;
}

/** The members of interface `name` declared in (or imported into) `file`, inherited members first. */
export function interfaceMembers(file: string, name: string): DocumentedMember[] {
    const source = parse(file);
    const declaration = source.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === name);
    if (!declaration) {
        const origin = importedFrom(source, name);
        if (!origin) throw new Error(`interface ${name} is neither declared in nor imported into ${file}`);
        return interfaceMembers(origin, name);
    }
    const inherited = (declaration.heritageClauses ?? []).flatMap((clause) => clause.types.map((t) => t.expression.getText(source)));
    const own = declaration.members.flatMap((member): DocumentedMember[] => {
        const memberNameText = memberName(member);
        if (!memberNameText || !ts.isPropertySignature(member)) return [];
        const fields = member.type && ts.isTypeReferenceNode(member.type) ? nestedInterface(file, member.type.typeName.getText(source)) : undefined;
        return [{ name: memberNameText, optional: member.questionToken !== undefined, ...documentation(member), ...(fields ? { fields } : {}) }];
    });
    return [...inherited.flatMap((parent) => interfaceMembers(file, parent)), ...own];
}

/** The members of `name` when it is an interface of the repository declared in or imported into `file`; undefined otherwise. */
function nestedInterface(file: string, name: string): DocumentedMember[] | undefined {
    const source = parse(file);
    const declared = source.statements.some((s) => ts.isInterfaceDeclaration(s) && s.name.text === name);
    const origin = declared ? file : importedFrom(source, name);
    if (!origin || !fs.existsSync(origin)) return undefined;
    const found = parse(origin).statements.some((s) => ts.isInterfaceDeclaration(s) && s.name.text === name);
    return found || importedFrom(parse(origin), name) ? interfaceMembers(origin, name) : undefined;
}

function isComponentClass(node: ts.Statement): node is ts.ClassDeclaration {
    return ts.isClassDeclaration(node) && node.name !== undefined
        && (node.heritageClauses ?? []).some((c) => c.types.some((t) => t.expression.getText() === "pulumi.ComponentResource"));
}

function publicOutputs(declaration: ts.ClassDeclaration): DocumentedMember[] {
    return declaration.members.flatMap((member): DocumentedMember[] => {
        const name = memberName(member);
        if (!name || !ts.isPropertyDeclaration(member)) return [];
        const hidden = ts.getModifiers(member)?.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword);
        return hidden ? [] : [{ name, optional: false, ...documentation(member) }];
    });
}

/** The type token of `super("<token>", ...)` in the class's constructor. */
function superToken(declaration: ts.ClassDeclaration): string {
    let token = "";
    const visit = (node: ts.Node): void => {
        if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.SuperKeyword) {
            const first = node.arguments[0];
            if (first && ts.isStringLiteral(first)) token = first.text;
        }
        ts.forEachChild(node, visit);
    };
    visit(declaration);
    return token;
}

/** The component declared in `file`, or undefined when it declares none. */
export function componentIn(file: string, root: string): ComponentSource | undefined {
    const source = parse(file);
    const declaration = source.statements.find(isComponentClass);
    if (!declaration?.name) return undefined;
    const constructor = declaration.members.find(ts.isConstructorDeclaration);
    const argsType = constructor?.parameters[1]?.type;
    if (!argsType || !ts.isTypeReferenceNode(argsType)) throw new Error(`${declaration.name.text} in ${file} has no (name, args, opts) constructor`);
    const argsInterface = argsType.typeName.getText(source);
    return {
        className: declaration.name.text,
        file: path.relative(root, file),
        token: superToken(declaration),
        argsInterface,
        inputs: interfaceMembers(file, argsInterface),
        outputs: publicOutputs(declaration),
    };
}

/** Every component class under `components/<concern>/` (tests and cloud implementations excluded). */
export function componentSources(root: string): ComponentSource[] {
    const components = path.join(root, "components");
    return fs.readdirSync(components, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .flatMap((dir) => fs.readdirSync(path.join(components, dir.name))
            .filter((f) => f.endsWith(".ts") && !/\.(test|aws|azure)\.ts$/.test(f))
            .map((f) => path.join(components, dir.name, f)))
        .sort()
        .flatMap((file) => componentIn(file, root) ?? []);
}
