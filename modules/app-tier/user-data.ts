import { Fn, Token, Tokenization } from "cdktf";

/**
 * The launch template's `user_data`: the text base64-encoded, as EC2 wants it.
 *
 * Why not simply `Fn.base64encode(text)`: cdktf 0.21 embeds a literal argument in an HCL string
 * escaping only newlines and `${`, so user data with a double quote is refused at synth, and with
 * a backslash, `%{` or `$${` (all common in shell and cloud-init) it is silently changed or breaks
 * the plan. So literal text never passes through HCL quoting here:
 * - no token: the text is encoded at synth, byte for byte what Terraform's `base64encode` yields;
 * - with tokens (a database endpoint, a secret ARN): Terraform joins the tokens with the literal
 *   pieces, each carried as base64 (only `A–Z a–z 0–9 + / =`, nothing to escape), and encodes
 *   the whole with `Fn.base64encode`.
 */
export function encodeUserData(text: string): string {
  if (!Token.isUnresolved(text)) return toBase64(text);
  const parts = splitTokens(text);
  if (parts.length === 1) return Fn.base64encode(text);
  return Fn.base64encode(Fn.join("", parts.map((part) => (Token.isUnresolved(part) ? part : Fn.base64decode(toBase64(part))))));
}

/** Bytes of the literal (non-token) text; the exact size when there is no token, a lower bound otherwise. */
export function literalUserDataBytes(text: string): number {
  return splitTokens(text)
    .filter((part) => !Token.isUnresolved(part))
    .reduce((sum, part) => sum + Buffer.byteLength(part, "utf8"), 0);
}

function toBase64(text: string): string {
  return Buffer.from(text, "utf8").toString("base64");
}

/** The text as its literal pieces and token strings, in order. */
function splitTokens(text: string): string[] {
  const joined = Tokenization.reverseString(text).join({
    join: (left: unknown, right: unknown) => {
      const acc = left instanceof Pieces ? left : new Pieces([String(left ?? "")]);
      acc.parts.push(String(right ?? ""));
      return acc;
    },
  });
  const parts = joined instanceof Pieces ? joined.parts : [String(joined ?? "")];
  return parts.filter((part) => part.length > 0);
}

/** Accumulator for TokenizedStringFragments.join, which folds values pairwise. */
class Pieces {
  constructor(public readonly parts: string[]) {}
}
