/* test-webhook-guard.c: the SSRF guard of webhook deliveries (RELIABILITY
 * 27): which addresses are refused, and the allow list.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#include "config.h"

#include "bough-error.h"
#include "webhooks/bough-webhook-guard.h"

static const char *
class_of (const char *text)
{
  g_autoptr(GInetAddress) address = g_inet_address_new_from_string (text);

  g_assert_nonnull (address);
  return bough_webhook_address_class (address);
}

static void
test_address_classes (void)
{
  static const struct { const char *address; const char *what; } refused[] = {
    { "169.254.169.254", "a cloud metadata address" },
    { "100.100.100.200", "a cloud metadata address" },
    { "fd00:ec2::254", "a cloud metadata address" },
    { "169.254.1.1", "a link-local address" },
    { "fe80::1", "a link-local address" },
    { "febf:ffff::1", "a link-local address" },
    { "127.0.0.1", "a loopback address" },
    { "127.255.255.254", "a loopback address" },
    { "::1", "a loopback address" },
    { "0.0.0.0", "an unspecified address" },
    { "::", "an unspecified address" },
    { "10.1.2.3", "a private address" },
    { "172.16.0.1", "a private address" },
    { "172.31.255.255", "a private address" },
    { "192.168.1.1", "a private address" },
    { "fd12:3456::1", "a private address" },
    { "fc00::1", "a private address" },
    { "100.64.0.1", "a shared (carrier-grade NAT) address" },
    { "224.0.0.1", "a multicast address" },
    { "ff02::1", "a multicast address" },
    { "255.255.255.255", "a reserved address" },
    { "240.0.0.1", "a reserved address" },
    { "192.0.2.10", "a reserved address" },
    { "2001:db8::1", "a reserved address" },
    /* IPv4 inside IPv6 is judged by the IPv4 address */
    { "::ffff:169.254.169.254", "a cloud metadata address" },
    { "::ffff:127.0.0.1", "a loopback address" },
    { "64:ff9b::a9fe:a9fe", "a cloud metadata address" },
    { "2002:a9fe:a9fe::1", "a cloud metadata address" },
    { "::ffff:10.0.0.1", "a private address" },
  };
  static const char * const public[] = {
    "1.1.1.1", "8.8.8.8", "172.32.0.1", "172.15.255.255", "100.128.0.1", "169.253.255.255",
    "2606:4700:4700::1111", "2a00:1450:4007::1", "::ffff:8.8.8.8",
  };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_test_message ("%s", refused[i].address);
      g_assert_cmpstr (class_of (refused[i].address), ==, refused[i].what);
    }
  for (guint i = 0; i < G_N_ELEMENTS (public); i++)
    {
      g_test_message ("%s", public[i]);
      g_assert_null (class_of (public[i]));
    }
  /* fec0::/10, the deprecated site-local range, counts as private */
  g_assert_cmpstr (class_of ("fec0::1"), ==, "a private address");
}

static void
check (BoughWebhookGuard *guard,
       const char        *host,
       const char        *address,
       gboolean           allowed)
{
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (address);
  g_autoptr(GError) error = NULL;

  g_test_message ("%s → %s", host != NULL ? host : "(no host)", address);
  if (allowed)
    {
      g_assert_true (bough_webhook_guard_check_address (guard, host, inet, &error));
      g_assert_no_error (error);
    }
  else
    {
      g_assert_false (bough_webhook_guard_check_address (guard, host, inet, &error));
      g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_PERMISSION);
      g_assert_nonnull (strstr (error->message, "allow_hosts"));
    }
}

static void
test_allow_list (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughWebhookGuard) none = bough_webhook_guard_new (NULL, &error);
  g_autoptr(BoughWebhookGuard) some = NULL;

  g_assert_no_error (error);
  check (none, "127.0.0.1", "127.0.0.1", FALSE);
  check (none, "localhost", "127.0.0.1", FALSE);
  check (none, "hooks.example.com", "169.254.169.254", FALSE);
  check (none, "hooks.example.com", "93.184.216.34", TRUE);

  some = bough_webhook_guard_new ("127.0.0.1, 10.0.0.0/8 receiver.internal. [fd00::5]", &error);
  g_assert_no_error (error);
  check (some, "127.0.0.1", "127.0.0.1", TRUE);
  check (some, NULL, "::ffff:127.0.0.1", TRUE);
  check (some, "127.0.0.2", "127.0.0.2", FALSE);
  check (some, "x.example.com", "10.20.30.40", TRUE);
  check (some, "x.example.com", "11.0.0.1", TRUE);
  check (some, "x.example.com", "192.168.0.1", FALSE);
  /* a listed name admits what it resolves to, in any case, with or without the dot */
  check (some, "Receiver.Internal", "192.168.7.7", TRUE);
  check (some, "receiver.internal.", "169.254.169.254", TRUE);
  check (some, "other.internal", "192.168.7.7", FALSE);
  check (some, "[fd00::5]", "fd00::5", TRUE);
  check (some, NULL, "fd00::6", FALSE);
  /* the metadata address stays refused unless listed itself */
  check (some, "x.example.com", "169.254.169.254", FALSE);
}

static void
test_invalid_entries (void)
{
  static const char * const invalid[] = { "10.0.0.0/33", "300.1.1.1/8", "fe80::/200" };

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BoughWebhookGuard) guard = bough_webhook_guard_new (invalid[i], &error);

      g_test_message ("%s", invalid[i]);
      g_assert_null (guard);
      g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_CONFIG);
    }
}

/* A name is refused when any of its addresses is. */
static void
test_check_host (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughWebhookGuard) none = bough_webhook_guard_new ("", &error);
  g_autoptr(BoughWebhookGuard) listed = bough_webhook_guard_new ("localhost", &error);

  g_assert_no_error (error);
  g_assert_false (bough_webhook_guard_check_host (none, "localhost", NULL, &error));
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_PERMISSION);
  g_assert_nonnull (strstr (error->message, "localhost"));
  g_assert_nonnull (strstr (error->message, "loopback"));
  g_clear_error (&error);

  g_assert_false (bough_webhook_guard_check_host (none, "169.254.169.254", NULL, &error));
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_PERMISSION);
  g_assert_nonnull (strstr (error->message, "metadata"));
  g_clear_error (&error);

  g_assert_false (bough_webhook_guard_check_host (none, "[::1]", NULL, &error));
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_PERMISSION);
  g_clear_error (&error);

  g_assert_true (bough_webhook_guard_check_host (listed, "localhost", NULL, &error));
  g_assert_no_error (error);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/webhooks/guard/address-classes", test_address_classes);
  g_test_add_func ("/webhooks/guard/allow-list", test_allow_list);
  g_test_add_func ("/webhooks/guard/invalid-entries", test_invalid_entries);
  g_test_add_func ("/webhooks/guard/check-host", test_check_host);

  return g_test_run ();
}
