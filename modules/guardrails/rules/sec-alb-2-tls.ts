import { SynthesizedStack, SynthResource, blocks } from "../synthesized-stack";
import { isApplicationLoadBalancer } from "../rule-helpers";
import { GuardrailRule, NOT_APPLICABLE, PolicyPack, RuleLevel, resultOf } from "../types";

const CERTIFICATE_TYPES = ["aws_acm_certificate", "aws_acm_certificate_validation", "aws_iam_server_certificate"];

/** True when the listener's default action redirects to HTTPS. */
function redirectsToHttps(listener: SynthResource): boolean {
  return blocks(listener.values.default_action).some(
    (action) => action.type === "redirect" && blocks(action.redirect).some((r) => r.protocol === "HTTPS"),
  );
}

export const SecAlb2Tls: GuardrailRule = {
  id: "SEC-ALB-2",
  pack: PolicyPack.SECURITY,
  level: RuleLevel.ERROR,
  description:
    "When a certificate exists, the application load balancer has an HTTPS listener and every HTTP listener redirects to HTTPS",
  resourceTypes: ["aws_lb", "aws_alb"],
  evaluate(lb, stack) {
    if (!isApplicationLoadBalancer(lb)) return NOT_APPLICABLE;
    const listeners = [
      ...stack.referrers("aws_lb_listener", "load_balancer_arn", lb),
      ...stack.referrers("aws_alb_listener", "load_balancer_arn", lb),
    ];
    const https = listeners.filter((l) => l.values.protocol === "HTTPS" || l.values.certificate_arn);
    const certificates = CERTIFICATE_TYPES.flatMap((type) => stack.resources(type));
    // Without a certificate there is no TLS to enforce (e.g. a lab without a domain); the rule
    // starts to bite as soon as one exists in the stack or on a listener.
    if (https.length === 0 && certificates.length === 0) return NOT_APPLICABLE;
    const problems: string[] = [];
    if (https.length === 0) {
      problems.push(
        `the stack has certificate ${SynthesizedStack.label(certificates[0])} but this load balancer has no HTTPS listener; ` +
          "add a listener with protocol HTTPS and certificate_arn",
      );
    }
    // An ALB listener without a protocol is HTTP, unless it carries a certificate (then it is HTTPS).
    const http = listeners.filter((l) => !https.includes(l) && (l.values.protocol === "HTTP" || l.values.protocol === undefined));
    for (const listener of http) {
      if (!redirectsToHttps(listener)) {
        problems.push(
          `HTTP listener ${SynthesizedStack.label(listener)} (port ${listener.values.port ?? "?"}) serves plain HTTP; ` +
            'make its default action a redirect with protocol "HTTPS"',
        );
      }
    }
    return resultOf(problems);
  },
};
