/** The RDS CA bundle the instance downloads at boot follows the region's partition. */
import { DEFAULT_CA_BUNDLE_URL, renderInventoryUserData } from "../modules/inventory-app";
import { parseUserData, SAMPLE_PROPS } from "./helpers/inventory-app/php-app";

/** The URL of the runcmd that downloads the bundle, if any. */
function caDownload(userData: string): string | undefined {
  const curl = parseUserData(userData).runcmd.find((c) => Array.isArray(c) && c[0] === "curl") as string[] | undefined;
  return curl?.[curl.length - 1];
}

const arnIn = (partition: string, region: string): string => SAMPLE_PROPS.secretArn.replace("arn:aws:", `arn:${partition}:`).replace("eu-west-1", region);

test("GIVEN a commercial region THEN the instance downloads the global bundle", () => {
  expect(caDownload(renderInventoryUserData(SAMPLE_PROPS))).toBe(DEFAULT_CA_BUNDLE_URL);
});

test("GIVEN an AWS GovCloud (US) region THEN the instance downloads that region's bundle, not the commercial one", () => {
  const ud = renderInventoryUserData({ ...SAMPLE_PROPS, region: "us-gov-west-1", secretArn: arnIn("aws-us-gov", "us-gov-west-1") });
  expect(caDownload(ud)).toBe("https://truststore.pki.us-gov-west-1.rds.amazonaws.com/us-gov-west-1/us-gov-west-1-bundle.pem");
});

test("GIVEN a China region THEN the URL must be given (no commercial bundle that could not verify the database)", () => {
  const props = { ...SAMPLE_PROPS, region: "cn-north-1", secretArn: arnIn("aws-cn", "cn-north-1") };
  expect(() => renderInventoryUserData(props)).toThrow(/databaseCaBundleUrl: undefined has no default for region "cn-north-1" \(partition aws-cn\)/);
  const url = "https://example.cn/rds/global-bundle.pem";
  expect(caDownload(renderInventoryUserData({ ...props, databaseCaBundleUrl: url }))).toBe(url);
  expect(caDownload(renderInventoryUserData({ ...props, databaseCaBundleUrl: null }))).toBeUndefined();
  expect(caDownload(renderInventoryUserData({ ...props, requireDatabaseTls: false }))).toBeUndefined();
});
