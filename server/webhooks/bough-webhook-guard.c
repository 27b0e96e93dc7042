/* bough-webhook-guard.c: the SSRF guard of outgoing webhooks (RELIABILITY
 * 27). A webhook URL is data any editor of webhooks sets; without a guard it
 * turns the server into a proxy towards the cloud metadata service, the
 * loopback interface and the private network. Addresses are checked after
 * resolution and again on the connected socket, so a name that resolves
 * differently the second time (DNS rebinding) gains nothing.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-webhooks"

#include "config.h"

#include <string.h>

#include "bough-error.h"

#include "bough-webhook-guard.h"

struct _BoughWebhookGuard
{
  GPtrArray *hosts;     /* of char*, lower case, without a trailing dot */
  GPtrArray *networks;  /* of GInetAddressMask* */
};

static char *
normalize_host (const char *host)
{
  g_autofree char *lower = NULL;
  gsize len;

  if (host[0] == '[')
    {
      const char *end = strchr (host, ']');

      if (end != NULL)
        return g_ascii_strdown (host + 1, end - host - 1);
    }
  lower = g_ascii_strdown (host, -1);
  len = strlen (lower);
  while (len > 0 && lower[len - 1] == '.')
    lower[--len] = '\0';
  return g_steal_pointer (&lower);
}

/* GInetAddressMask warns (fatally in tests) about a length past the
 * family's, so the length is checked here first. */
static GInetAddressMask *
parse_network (const char *text)
{
  g_autofree char *address_part = g_strdup (text);
  g_autoptr(GInetAddress) address = NULL;
  char *slash = strchr (address_part, '/');
  guint64 length;
  guint bits;

  if (slash != NULL)
    *slash = '\0';
  address = g_inet_address_new_from_string (address_part);
  if (address == NULL)
    return NULL;
  bits = g_inet_address_get_native_size (address) * 8;
  if (slash == NULL)
    length = bits;
  else if (!g_ascii_string_to_unsigned (slash + 1, 10, 0, bits, &length, NULL))
    return NULL;
  return g_inet_address_mask_new (address, (guint) length, NULL);
}

/**
 * bough_webhook_guard_new:
 * @allow_hosts: (nullable): host names, addresses and networks
 *   (`10.0.0.0/8`, `fd00::/8`), separated by commas or spaces, that
 *   deliveries may reach even though they are not public
 * @error: return location for a #GError
 *
 * Returns: (transfer full): a guard, or %NULL when an entry is invalid
 */
BoughWebhookGuard *
bough_webhook_guard_new (const char  *allow_hosts,
                         GError     **error)
{
  g_autoptr(BoughWebhookGuard) self = g_new0 (BoughWebhookGuard, 1);
  g_auto(GStrv) entries = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self->hosts = g_ptr_array_new_with_free_func (g_free);
  self->networks = g_ptr_array_new_with_free_func (g_object_unref);
  if (allow_hosts == NULL)
    return g_steal_pointer (&self);

  entries = g_strsplit_set (allow_hosts, ", \t\n", -1);
  for (guint i = 0; entries[i] != NULL; i++)
    {
      g_autofree char *entry = normalize_host (entries[i]);
      GInetAddressMask *mask;

      if (entry[0] == '\0')
        continue;
      if (strchr (entry, '/') != NULL || g_hostname_is_ip_address (entry))
        {
          mask = parse_network (entry);
          if (mask == NULL)
            {
              g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_CONFIG,
                           "“%s” is not an address or a network (ADDRESS/LENGTH)", entries[i]);
              return NULL;
            }
          g_ptr_array_add (self->networks, mask);
          continue;
        }
      if (!g_hostname_is_ascii_encoded (entry) && !g_utf8_validate (entry, -1, NULL))
        {
          g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_CONFIG,
                       "“%s” is not a host name", entries[i]);
          return NULL;
        }
      g_ptr_array_add (self->hosts, g_steal_pointer (&entry));
    }

  return g_steal_pointer (&self);
}

void
bough_webhook_guard_free (BoughWebhookGuard *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->hosts, g_ptr_array_unref);
  g_clear_pointer (&self->networks, g_ptr_array_unref);
  g_free (self);
}

static gboolean
in_v4 (const guint8 *a,
       guint8        b0,
       guint8        b1,
       guint8        b2,
       guint8        b3,
       guint         length)
{
  guint32 address = ((guint32) a[0] << 24) | ((guint32) a[1] << 16) | ((guint32) a[2] << 8) | a[3];
  guint32 network = ((guint32) b0 << 24) | ((guint32) b1 << 16) | ((guint32) b2 << 8) | b3;
  guint32 mask = length == 0 ? 0 : G_MAXUINT32 << (32 - length);

  return (address & mask) == (network & mask);
}

static const char *
class_v4 (const guint8 *a)
{
  if (in_v4 (a, 169, 254, 169, 254, 32) || in_v4 (a, 100, 100, 100, 200, 32) ||
      in_v4 (a, 192, 0, 0, 192, 32))
    return "a cloud metadata address";
  if (in_v4 (a, 0, 0, 0, 0, 8))
    return "an unspecified address";
  if (in_v4 (a, 127, 0, 0, 0, 8))
    return "a loopback address";
  if (in_v4 (a, 169, 254, 0, 0, 16))
    return "a link-local address";
  if (in_v4 (a, 10, 0, 0, 0, 8) || in_v4 (a, 172, 16, 0, 0, 12) || in_v4 (a, 192, 168, 0, 0, 16))
    return "a private address";
  if (in_v4 (a, 100, 64, 0, 0, 10))
    return "a shared (carrier-grade NAT) address";
  if (in_v4 (a, 224, 0, 0, 0, 4))
    return "a multicast address";
  if (in_v4 (a, 192, 0, 0, 0, 24) || in_v4 (a, 192, 0, 2, 0, 24) ||
      in_v4 (a, 198, 51, 100, 0, 24) || in_v4 (a, 203, 0, 113, 0, 24) ||
      in_v4 (a, 198, 18, 0, 0, 15) || in_v4 (a, 240, 0, 0, 0, 4))
    return "a reserved address";
  return NULL;
}

static gboolean
in_v6 (const guint8 *a,
       const guint8 *network,
       guint         length)
{
  guint bytes = length / 8;
  guint bits = length % 8;

  if (memcmp (a, network, bytes) != 0)
    return FALSE;
  if (bits == 0)
    return TRUE;
  return ((a[bytes] ^ network[bytes]) & (0xff << (8 - bits))) == 0;
}

static const char *
class_v6 (const guint8 *a)
{
  static const guint8 zero[16] = { 0 };
  static const guint8 mapped[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
  static const guint8 nat64[16] = { 0, 0x64, 0xff, 0x9b };
  static const guint8 sixtofour[16] = { 0x20, 0x02 };
  static const guint8 aws_metadata[16] = { 0xfd, 0x00, 0x0e, 0xc2, [14] = 0x02, [15] = 0x54 };
  static const guint8 link_local[16] = { 0xfe, 0x80 };
  static const guint8 site_local[16] = { 0xfe, 0xc0 };
  static const guint8 unique_local[16] = { 0xfc };
  static const guint8 multicast[16] = { 0xff };
  static const guint8 documentation[16] = { 0x20, 0x01, 0x0d, 0xb8 };
  static const guint8 discard[16] = { 0x01, 0x00 };

  if (memcmp (a, zero, 15) == 0 && (a[15] == 0 || a[15] == 1))
    return a[15] == 0 ? "an unspecified address" : "a loopback address";
  /* IPv4 inside IPv6: judged as the IPv4 address it reaches */
  if (in_v6 (a, mapped, 96) || in_v6 (a, nat64, 96) || in_v6 (a, zero, 96))
    return class_v4 (a + 12);
  if (in_v6 (a, sixtofour, 16))
    return class_v4 (a + 2);
  if (memcmp (a, aws_metadata, 16) == 0)
    return "a cloud metadata address";
  if (in_v6 (a, link_local, 10))
    return "a link-local address";
  if (in_v6 (a, unique_local, 7) || in_v6 (a, site_local, 10))
    return "a private address";
  if (in_v6 (a, multicast, 8))
    return "a multicast address";
  if (in_v6 (a, documentation, 32) || in_v6 (a, discard, 64))
    return "a reserved address";
  return NULL;
}

/**
 * bough_webhook_address_class:
 * @address: an address
 *
 * Returns: (nullable): %NULL for a public address, else what it is
 *   ("a loopback address", "a cloud metadata address", ...)
 */
const char *
bough_webhook_address_class (GInetAddress *address)
{
  const guint8 *bytes;

  g_return_val_if_fail (G_IS_INET_ADDRESS (address), "an invalid address");

  bytes = g_inet_address_to_bytes (address);
  if (g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV4)
    return class_v4 (bytes);
  return class_v6 (bytes);
}

static gboolean
network_allows (BoughWebhookGuard *self,
                GInetAddress      *address)
{
  g_autoptr(GInetAddress) inner = NULL;

  /* an allow-listed IPv4 network also admits its IPv4-mapped form */
  if (g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6)
    {
      static const guint8 mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
      const guint8 *bytes = g_inet_address_to_bytes (address);

      if (memcmp (bytes, mapped, sizeof mapped) == 0)
        inner = g_inet_address_new_from_bytes (bytes + 12, G_SOCKET_FAMILY_IPV4);
    }

  for (guint i = 0; i < self->networks->len; i++)
    {
      GInetAddressMask *mask = g_ptr_array_index (self->networks, i);

      if (g_inet_address_mask_matches (mask, address) ||
          (inner != NULL && g_inet_address_mask_matches (mask, inner)))
        return TRUE;
    }
  return FALSE;
}

static gboolean
host_allowed (BoughWebhookGuard *self,
              const char        *host)
{
  g_autofree char *name = NULL;

  if (host == NULL)
    return FALSE;
  name = normalize_host (host);
  for (guint i = 0; i < self->hosts->len; i++)
    if (g_str_equal (g_ptr_array_index (self->hosts, i), name))
      return TRUE;
  return FALSE;
}

/**
 * bough_webhook_guard_check_address:
 * @self: a guard
 * @host: (nullable): the host name of the URL, which may be allow-listed
 * @address: an address @host resolved to, or the peer of a connected socket
 * @error: return location for a #GError
 *
 * Returns: %TRUE when a delivery may connect to @address
 */
gboolean
bough_webhook_guard_check_address (BoughWebhookGuard  *self,
                                   const char         *host,
                                   GInetAddress       *address,
                                   GError            **error)
{
  const char *what;
  g_autofree char *text = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (G_IS_INET_ADDRESS (address), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  what = bough_webhook_address_class (address);
  if (what == NULL || host_allowed (self, host) || network_allows (self, address))
    return TRUE;

  text = g_inet_address_to_string (address);
  if (host != NULL && !g_hostname_is_ip_address (host))
    g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_PERMISSION,
                 "refused to connect to %s: it resolves to %s, %s; add the host or the "
                 "address to [webhooks] allow_hosts to allow it", host, text, what);
  else
    g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_PERMISSION,
                 "refused to connect to %s, %s; add it to [webhooks] allow_hosts to allow it",
                 text, what);
  return FALSE;
}

/**
 * bough_webhook_guard_check_host:
 * @self: a guard
 * @host: the host of a webhook URL (a name or an address)
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Resolves @host and checks every address it has: one refused address
 * refuses the host, whichever of them a connection would pick.
 *
 * Returns: %TRUE when a delivery may go to @host
 */
gboolean
bough_webhook_guard_check_host (BoughWebhookGuard  *self,
                                const char         *host,
                                GCancellable       *cancellable,
                                GError            **error)
{
  g_autoptr(GResolver) resolver = NULL;
  g_autofree char *name = NULL;
  GList *addresses;
  gboolean ok = TRUE;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (host != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  name = normalize_host (host);
  if (g_hostname_is_ip_address (name))
    {
      g_autoptr(GInetAddress) address = g_inet_address_new_from_string (name);

      if (address != NULL)
        return bough_webhook_guard_check_address (self, name, address, error);
    }

  resolver = g_resolver_get_default ();
  addresses = g_resolver_lookup_by_name (resolver, name, cancellable, error);
  if (addresses == NULL)
    {
      g_prefix_error (error, "cannot resolve %s: ", name);
      return FALSE;
    }
  for (GList *l = addresses; l != NULL && ok; l = l->next)
    ok = bough_webhook_guard_check_address (self, name, l->data, error);
  g_resolver_free_addresses (addresses);
  return ok;
}
