/* bough-gql-private.h: helpers shared by the files of the GraphQL core only.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char      *_bough_gql_number_to_string (double value);

/* suggestionList() and didYouMean() of graphql-js; @options is NULL-terminated,
 * _bough_gql_did_you_mean() consumes @suggestions */
GPtrArray *_bough_gql_suggestion_list  (const char  *input,
                                        const char **options);
char      *_bough_gql_did_you_mean     (const char  *sub_message,
                                        GPtrArray   *suggestions);

G_END_DECLS
